package io.gatehouse.setup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.gatehouse.org.SsoUrls;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The guided setup of each IdP, in its own words: data, one JSON file per IdP under
 * {@code src/main/resources/setup-guides/} (adding an IdP is adding a file). Each step names the IdP's
 * own fields and which of the org's values goes in each; the form says what comes back. Read once at start.
 */
@ApplicationScoped
public class Guides {

    static final String DIRECTORY = "setup-guides";
    /** The org values a step may show, by the names of {@link SsoUrls}' fields in the API (snake_case). */
    static final List<String> VALUES = List.of("login_url", "redirect_uri", "frontchannel_logout_url", "backchannel_logout_url",
            "post_logout_redirect_uri", "entity_id", "acs_url", "acs_url_query_form", "metadata_url", "slo_url");

    /** One value to paste into the IdP: the IdP's field name, and which org value it is. */
    @RegisterForReflection
    public record Value(String label, String value) {
    }

    @RegisterForReflection
    public record Step(String title, String text, List<Value> values) {
        public Step {
            values = values == null ? List.of() : values;
        }
    }

    /**
     * @param type   the connection it makes: {@code azure-ad}, {@code oidc} or {@code saml}
     * @param fields for OIDC, what the IdP calls each value that comes back (tenant_id, client_id,
     *               client_secret, issuer); for SAML, {@code metadata}: where the IdP shows its metadata
     */
    @RegisterForReflection
    public record Guide(String id, String name, String protocol, int order, String type, String intro, List<Step> steps,
                        Map<String, String> fields) {
    }

    private final List<Guide> guides;

    public Guides() {
        this.guides = load();
    }

    public List<Guide> all() {
        return guides;
    }

    public Optional<Guide> byId(String id) {
        return guides.stream().filter(g -> g.id().equals(id)).findFirst();
    }

    /** An org value by its name, for a step: the URL to paste. */
    public static String value(SsoUrls urls, String name) {
        return switch (name) {
            case "login_url" -> urls.loginUrl();
            case "redirect_uri" -> urls.redirectUri();
            case "frontchannel_logout_url" -> urls.frontchannelLogoutUrl();
            case "backchannel_logout_url" -> urls.backchannelLogoutUrl();
            case "post_logout_redirect_uri" -> urls.postLogoutRedirectUri();
            case "entity_id" -> urls.entityId();
            case "acs_url" -> urls.acsUrl();
            case "acs_url_query_form" -> urls.acsUrlQueryForm();
            case "metadata_url" -> urls.metadataUrl();
            case "slo_url" -> urls.sloUrl();
            default -> throw new IllegalArgumentException("no org value " + name);
        };
    }

    static List<Guide> load() {
        ObjectMapper json = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        List<Guide> out = new ArrayList<>();
        for (String file : files()) {
            try (InputStream in = Guides.class.getClassLoader().getResourceAsStream(DIRECTORY + "/" + file)) {
                Guide guide = json.readValue(in, Guide.class);
                check(guide, file);
                out.add(guide);
            } catch (IOException e) {
                throw new IllegalStateException("setup guide " + file + " is not readable: " + e.getMessage(), e);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no setup guide found under " + DIRECTORY);
        }
        out.sort(Comparator.comparingInt(Guide::order).thenComparing(Guide::name));
        return List.copyOf(out);
    }

    /** Every guide is checked when read: a broken file stops the start, not a customer's setup. */
    private static void check(Guide guide, String file) {
        if (guide.id() == null || !file.equals(guide.id() + ".json") || guide.name() == null || guide.steps() == null
                || guide.steps().isEmpty() || !List.of("azure-ad", "oidc", "saml").contains(guide.type())) {
            throw new IllegalStateException("setup guide " + file + ": needs id (= file name), name, type and steps");
        }
        for (Step step : guide.steps()) {
            for (Value v : step.values()) {
                if (!VALUES.contains(v.value())) {
                    throw new IllegalStateException("setup guide " + file + ": no org value named " + v.value());
                }
            }
        }
    }

    /** The file names under the guides directory: from the classpath directory, or the application jar. */
    private static List<String> files() {
        URL dir = Guides.class.getClassLoader().getResource(DIRECTORY);
        if (dir == null) {
            return List.of();
        }
        try {
            URI uri = dir.toURI();
            if ("jar".equals(uri.getScheme()) || "resource".equals(uri.getScheme())) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return names(fs.provider().getPath(uri));
            }
            return names(Path.of(uri));
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("the setup guides cannot be listed", e);
        }
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString().replace("/", "")).filter(n -> n.endsWith(".json")).sorted().toList();
        }
    }
}
