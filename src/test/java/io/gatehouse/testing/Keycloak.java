package io.gatehouse.testing;

import io.restassured.http.ContentType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.restassured.RestAssured.given;

/**
 * One Keycloak (org.keycloak:keycloak-quarkus-dist from Maven Central, unpacked under target/ by the
 * build) on loopback for every test class of the JVM that needs a real IdP: started on first use,
 * stopped when the JVM exits.
 */
public final class Keycloak {

    /**
     * Where the running Keycloak is: a system property, because test classes of another Quarkus test
     * profile see this class through another class loader (its statics start empty there). Not under
     * gatehouse.*, which the application's config mapping owns.
     */
    private static final String PROPERTY = "gatehousetests.keycloak.url";

    private Keycloak() {
    }

    /** The base URL, starting Keycloak when it is not running yet in this JVM. */
    public static String url() throws Exception {
        synchronized (PROPERTY) { // an interned literal: one lock for every class loader
            String running = System.getProperty(PROPERTY);
            return running != null ? running : start();
        }
    }

    private static String start() throws Exception {
        Path home = Files.list(Path.of("target", "keycloak")).filter(p -> p.getFileName().toString().startsWith("keycloak-"))
                .findFirst().orElseThrow(() -> new AssertionError("Keycloak is not unpacked under target/keycloak"));
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", home.resolve("bin/kc.sh").toString(), "start-dev", "--http-port=" + port,
                "--http-host=127.0.0.1", "--hostname-strict=false", "--http-management-port=" + Ports.free())
                .redirectErrorStream(true).redirectOutput(Path.of("target", "keycloak.log").toFile());
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }));
        String base = "http://127.0.0.1:" + port;
        Ports.awaitListening(port, Duration.ofSeconds(180));
        for (int i = 0; i < 120 && !ready(base); i++) {
            Thread.sleep(1000);
        }
        System.setProperty(PROPERTY, base);
        return base;
    }

    private static boolean ready(String base) {
        try {
            return given().get(base + "/realms/master/.well-known/openid-configuration").statusCode() == 200;
        } catch (RuntimeException notYet) {
            return false;
        }
    }

    /** A realm made by {@link #oidcRealm}: its name and its client's internal id. */
    public record Realm(String name, String clientUuid) {
    }

    /**
     * A new realm with a confidential client {@code gatehouse} (this secret, PKCE S256 required, this
     * redirect URI) and one user, Jane Doe, whose password is {@code correct horse}.
     */
    public static Realm oidcRealm(String secret, String redirectUri, String username, String email) throws Exception {
        String admin = adminToken();
        String realm = "r-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(java.util.Map.of("realm", realm, "enabled", true))
                .post(url() + "/admin/realms").then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(java.util.Map.of(
                        "clientId", "gatehouse", "secret", secret, "publicClient", false, "standardFlowEnabled", true,
                        "redirectUris", java.util.List.of(redirectUri),
                        // Where Gatehouse has the browser sent back after RP-initiated logout, beside its callback.
                        "attributes", java.util.Map.of("pkce.code.challenge.method", "S256",
                                "post.logout.redirect.uris", redirectUri.replace("/v1/callback", "/logout/done"))))
                .post(url() + "/admin/realms/" + realm + "/clients").then().statusCode(201);
        String clientUuid = given().auth().oauth2(admin).queryParam("clientId", "gatehouse")
                .get(url() + "/admin/realms/" + realm + "/clients").then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(java.util.Map.of(
                        "username", username, "email", email, "emailVerified", true, "enabled", true,
                        "firstName", "Jane", "lastName", "Doe",
                        "credentials", java.util.List.of(java.util.Map.of("type", "password", "value", "correct horse", "temporary", false))))
                .post(url() + "/admin/realms/" + realm + "/users").then().statusCode(201);
        return new Realm(realm, clientUuid);
    }

    /** An admin access token of the master realm. */
    public static String adminToken() throws Exception {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", "admin")
                .post(url() + "/realms/master/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }
}
