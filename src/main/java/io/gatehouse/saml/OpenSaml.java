package io.gatehouse.saml;

import net.shibboleth.utilities.java.support.component.ComponentInitializationException;
import net.shibboleth.utilities.java.support.xml.BasicParserPool;
import net.shibboleth.utilities.java.support.xml.XMLParserException;
import org.opensaml.core.config.InitializationException;
import org.opensaml.core.config.InitializationService;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport;
import org.opensaml.core.xml.io.MarshallingException;
import org.opensaml.core.xml.io.Unmarshaller;
import org.opensaml.core.xml.io.UnmarshallingException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * OpenSAML, initialized once per JVM, and the only way XML enters or leaves Gatehouse: a secure parser
 * pool (no DTDs, no external entities, no XInclude, the JDK's secure-processing limits) and
 * OpenSAML's (un)marshallers.
 */
public final class OpenSaml {

    /** The largest XML document accepted anywhere (a SAML response, IdP metadata). */
    public static final int MAX_DOCUMENT_BYTES = 1024 * 1024;

    private static volatile BasicParserPool parserPool;

    private OpenSaml() {
    }

    /** Whether {@link #initialize} has finished. */
    static boolean initialized() {
        return parserPool != null;
    }

    /** Initializes OpenSAML and the parser pool; idempotent, safe from any thread. */
    public static synchronized void initialize() {
        if (parserPool != null) {
            return;
        }
        try {
            InitializationService.initialize();
            BasicParserPool pool = new BasicParserPool();
            pool.setMaxPoolSize(64);
            pool.setNamespaceAware(true);
            pool.setExpandEntityReferences(false);
            pool.setXincludeAware(false);
            // Comments are dropped while parsing, so the text around one is one text node: what the
            // signature (exclusive C14N without comments) covered is what is read (NameID comment injection).
            pool.setIgnoreComments(true);
            pool.setCoalescing(true);
            Map<String, Boolean> features = new HashMap<>();
            features.put(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            features.put("http://apache.org/xml/features/disallow-doctype-decl", true);
            features.put("http://xml.org/sax/features/external-general-entities", false);
            features.put("http://xml.org/sax/features/external-parameter-entities", false);
            features.put("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            pool.setBuilderFeatures(features);
            pool.initialize();
            XMLObjectProviderRegistrySupport.setParserPool(pool);
            parserPool = pool;
        } catch (InitializationException | ComponentInitializationException e) {
            throw new IllegalStateException("OpenSAML could not be initialized", e);
        }
    }

    /** Parses a document with the secure pool; a DOCTYPE, an entity or malformed XML is refused. */
    public static Document parse(byte[] xml) throws XmlRejected {
        initialize();
        if (xml.length > MAX_DOCUMENT_BYTES) {
            throw new XmlRejected("the document is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        try {
            return parserPool.parse(new ByteArrayInputStream(xml));
        } catch (XMLParserException e) {
            String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : "malformed XML";
            if (message.contains("DOCTYPE")) {
                throw new XmlRejected("a DOCTYPE is not allowed");
            }
            throw new XmlRejected("not well-formed XML");
        }
    }

    /** The OpenSAML object of a parsed element. */
    public static XMLObject unmarshall(Element element) throws XmlRejected {
        Unmarshaller unmarshaller = XMLObjectProviderRegistrySupport.getUnmarshallerFactory().getUnmarshaller(element);
        if (unmarshaller == null) {
            throw new XmlRejected("unexpected root element " + element.getLocalName());
        }
        try {
            return unmarshaller.unmarshall(element);
        } catch (UnmarshallingException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            if (root instanceof org.apache.xml.security.signature.XMLSignatureException && root.getMessage() != null
                    && root.getMessage().contains("algorithm")) {
                throw new XmlRejected("a signature names an unknown algorithm", true);
            }
            throw new XmlRejected(root instanceof org.apache.xml.security.signature.XMLSignatureException
                    ? "a signature is malformed" : "the XML does not have the expected SAML structure");
        }
    }

    /** The object's DOM, marshalling it first when needed. */
    public static Element marshall(XMLObject object) {
        try {
            return XMLObjectProviderRegistrySupport.getMarshallerFactory().getMarshaller(object).marshall(object);
        } catch (MarshallingException e) {
            throw new IllegalStateException("could not marshall " + object.getElementQName(), e);
        }
    }

    /** An element serialized as it is (no pretty-printing: signatures must survive). */
    public static String serialize(Element element) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            var transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(element), new StreamResult(out));
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException("could not serialize XML", e);
        }
    }

    @SuppressWarnings("unchecked")
    public static <T extends XMLObject> T build(javax.xml.namespace.QName name) {
        initialize();
        return (T) XMLObjectProviderRegistrySupport.getBuilderFactory().getBuilderOrThrow(name).buildObject(name);
    }

    /** XML that was refused, with a reason fit for an admin. */
    public static final class XmlRejected extends Exception {
        private final boolean algorithm;

        public XmlRejected(String message) {
            this(message, false);
        }

        XmlRejected(String message, boolean algorithm) {
            super(message);
            this.algorithm = algorithm;
        }

        /** Whether an unknown signature or digest algorithm is why. */
        public boolean isAlgorithm() {
            return algorithm;
        }
    }
}
