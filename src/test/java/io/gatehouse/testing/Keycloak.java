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

    /**
     * A new realm with one SAML client for the SP at {@code sp} (an org's entity ID, {@code …/v1/saml/{org}}):
     * its ACS, its Single Logout service in both bindings (front-channel for browsers; Keycloak's
     * back-channel POSTs go to the POST one), signed assertions with the email as NameID, an IdP-initiated
     * URL name {@code gatehouse}; and one user, {@code jane} / {@code correct horse}, Jane Saml.
     *
     * @param frontchannelLogout Keycloak's "Front channel logout": on, the IdP's own sign-outs go through the
     *                           browser; off, server to server (what its admin console's "Sign out" can reach)
     */
    public static Realm samlRealm(String sp, String email, boolean frontchannelLogout) throws Exception {
        String admin = adminToken();
        String realm = "s-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(java.util.Map.of("realm", realm, "enabled", true))
                .post(url() + "/admin/realms").then().statusCode(201);
        java.util.Map<String, Object> attributes = new java.util.HashMap<>(java.util.Map.of(
                "saml_assertion_consumer_url_post", sp + "/acs",
                "saml_single_logout_service_url_redirect", sp + "/slo",
                "saml_single_logout_service_url_post", sp + "/slo",
                "saml_idp_initiated_sso_url_name", "gatehouse",
                "saml.client.signature", "false",
                "saml.server.signature", "true",
                "saml.assertion.signature", "true",
                "saml.signature.algorithm", "RSA_SHA256",
                "saml_force_name_id_format", "true",
                "saml_name_id_format", "email"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(java.util.Map.of(
                        "clientId", sp, "protocol", "saml", "enabled", true, "frontchannelLogout", frontchannelLogout,
                        "redirectUris", java.util.List.of(sp + "/*"), "attributes", attributes,
                        "protocolMappers", java.util.List.of(samlMapper("email", "email"), samlMapper("firstName", "firstName"),
                                samlMapper("lastName", "lastName"))))
                .post(url() + "/admin/realms/" + realm + "/clients").then().statusCode(201);
        String clientUuid = given().auth().oauth2(admin).queryParam("clientId", sp)
                .get(url() + "/admin/realms/" + realm + "/clients").then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(java.util.Map.of(
                        "username", "jane", "email", email, "emailVerified", true, "enabled", true,
                        "firstName", "Jane", "lastName", "Saml",
                        "credentials", java.util.List.of(java.util.Map.of("type", "password", "value", "correct horse", "temporary", false))))
                .post(url() + "/admin/realms/" + realm + "/users").then().statusCode(201);
        return new Realm(realm, clientUuid);
    }

    private static java.util.Map<String, Object> samlMapper(String property, String attribute) {
        return java.util.Map.of("name", attribute, "protocol", "saml", "protocolMapper", "saml-user-property-mapper",
                "config", java.util.Map.of("user.attribute", property, "attribute.name", attribute, "attribute.nameformat", "Basic"));
    }

    /** Has the realm's SAML client require signed requests, verified with this certificate (the org's SP certificate, PEM). */
    public static void requireSignedSamlRequests(Realm realm, String certificatePem) throws Exception {
        setClientAttributes(realm, java.util.Map.of("saml.client.signature", "true",
                "saml.signing.certificate", certificatePem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "")));
    }

    /** Sets attributes of the realm's client, as its admin console would (e.g. {@code backchannel.logout.url}). */
    @SuppressWarnings("unchecked")
    public static void setClientAttributes(Realm realm, java.util.Map<String, String> changes) throws Exception {
        String admin = adminToken();
        String client = url() + "/admin/realms/" + realm.name() + "/clients/" + realm.clientUuid();
        java.util.Map<String, Object> body = given().auth().oauth2(admin).get(client).then().statusCode(200).extract().as(java.util.Map.class);
        java.util.Map<String, Object> attributes = new java.util.HashMap<>((java.util.Map<String, Object>) body.get("attributes"));
        attributes.putAll(changes);
        body.put("attributes", attributes);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(body).put(client).then().statusCode(204);
    }

    /** Keycloak's own sign-out of every session of the realm's user {@code username} (its admin console's "Sign out"). */
    public static void signOutUser(Realm realm, String username) throws Exception {
        String admin = adminToken();
        String userId = given().auth().oauth2(admin).queryParam("username", username)
                .get(url() + "/admin/realms/" + realm.name() + "/users").then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(admin).post(url() + "/admin/realms/" + realm.name() + "/users/" + userId + "/logout")
                .then().statusCode(204);
    }

    /** An admin access token of the master realm. */
    public static String adminToken() throws Exception {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "password").formParam("client_id", "admin-cli")
                .formParam("username", "admin").formParam("password", "admin")
                .post(url() + "/realms/master/protocol/openid-connect/token").then().statusCode(200)
                .extract().path("access_token");
    }
}
