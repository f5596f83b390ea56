package io.gatehouse.saml;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.junit.jupiter.api.Test;
import org.opensaml.core.config.Initializer;
import org.opensaml.core.xml.config.AbstractXMLObjectProviderInitializer;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * OpenSAML finds its builders, marshallers and unmarshallers by class names written in XML files,
 * and its initializers through ServiceLoader: a native image must be told about all of them. This
 * derives that list from the OpenSAML jars on the classpath and checks it against the GraalVM
 * configuration under {@code META-INF/native-image/io.gatehouse/opensaml/}, so an OpenSAML upgrade
 * that adds classes fails here instead of in a native binary. {@code -Dgatehouse.write-native-config=true}
 * rewrites the files.
 */
class OpenSamlNativeConfigTest {

    private static final Path DIR = Path.of("src/main/resources/META-INF/native-image/io.gatehouse/opensaml");

    @Test
    void reflectionAndResourceConfigCoverEveryOpenSamlProvider() throws Exception {
        TreeSet<String> classes = new TreeSet<>();
        TreeSet<String> resources = new TreeSet<>();
        for (Initializer initializer : ServiceLoader.load(Initializer.class)) {
            classes.add(initializer.getClass().getName());
            if (initializer instanceof AbstractXMLObjectProviderInitializer provider) {
                Method method = AbstractXMLObjectProviderInitializer.class.getDeclaredMethod("getConfigResources");
                method.setAccessible(true);
                for (String resource : (String[]) method.invoke(provider)) {
                    String path = resource.startsWith("/") ? resource.substring(1) : resource;
                    resources.add(path);
                    try (InputStream in = provider.getClass().getClassLoader().getResourceAsStream(path)) {
                        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
                        factory.setNamespaceAware(true);
                        NodeList all = factory.newDocumentBuilder().parse(in).getElementsByTagName("*");
                        for (int i = 0; i < all.getLength(); i++) {
                            String name = ((Element) all.item(i)).getAttribute("className");
                            if (!name.isEmpty()) {
                                classes.add(name);
                            }
                        }
                    }
                }
            }
        }
        List<Map<String, Object>> reflect = new ArrayList<>();
        for (String name : classes) {
            reflect.add(Map.of("name", name, "allDeclaredConstructors", true, "allPublicMethods", true));
        }
        List<Map<String, String>> patterns = new ArrayList<>();
        patterns.add(Map.of("pattern", "\\QMETA-INF/services/org.opensaml.core.config.Initializer\\E"));
        patterns.add(Map.of("pattern", "\\Qorg/apache/xml/security/resource/config.xml\\E"));
        patterns.add(Map.of("pattern", "org/apache/xml/security/resource/xmlsecurity_.*\\.properties"));
        for (String resource : resources) {
            patterns.add(Map.of("pattern", "\\Q" + resource + "\\E"));
        }
        Map<String, Object> resourceConfig = Map.of("resources", Map.of("includes", patterns));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        String expectedReflect = json.writeValueAsString(reflect) + "\n";
        String expectedResources = json.writeValueAsString(resourceConfig) + "\n";
        if (Boolean.getBoolean("gatehouse.write-native-config")) {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve("reflect-config.json"), expectedReflect);
            Files.writeString(DIR.resolve("resource-config.json"), expectedResources);
        }
        assertEquals(expectedReflect, Files.readString(DIR.resolve("reflect-config.json")),
                "OpenSAML's providers changed: run this test with -Dgatehouse.write-native-config=true");
        assertEquals(expectedResources, Files.readString(DIR.resolve("resource-config.json")));
    }
}
