package io.gatehouse.web;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.Keycloak;
import io.gatehouse.testing.Ports;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages in a real browser: Playwright (playwright-core from npm, installed under target/ on first
 * run) driving Debian's Chromium through src/test/browser/journeys.mjs, against this Gatehouse and
 * Keycloak as SAML and OIDC IdP. Gatehouse runs on a fixed port here so its public URL is where the
 * browser really goes. Screenshots: target/screenshots.
 */
@QuarkusTest
@TestProfile(BrowserPagesTest.FixedPort.class)
@WithTestResource(PostgresResource.class)
class BrowserPagesTest {

    public static class FixedPort implements QuarkusTestProfile {
        static final int PORT = Ports.free();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.test-port", String.valueOf(PORT), "gatehouse.public-url", "http://localhost:" + PORT);
        }
    }

    @Test
    void adminConfiguresSsoAndPeopleSignInThroughIt() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/chromium")), "Chromium is not installed: apt-get install -y chromium (see README)");
        Path dir = installPlaywright();
        // The profile's port as the running application got it (the profile class is loaded twice).
        String base = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("gatehouse.public-url", String.class);
        assertEquals("http://localhost:" + RestAssured.port, base);

        String org = Api.newCode("web");
        String orgName = "Browser Test Org " + org.substring(4);
        operator().body(Map.of("code", org, "name", orgName)).post("/v1/orgs").then().statusCode(201);
        String adminUser = Api.newCode("admin");
        Api.createUser(org, adminUser, "admin");

        String kc = Keycloak.url();
        String token = Keycloak.adminToken();
        String realm = "b-" + UUID.randomUUID().toString().substring(0, 8);
        String sp = base + "/v1/saml/" + org;
        // The org has verified the email's domain: that vouches for the email a SAML IdP sends, so the same
        // person signing in by SAML and by OIDC is one user.
        String emailDomain = Api.newCode("b") + ".example.com";
        Api.operator().body(Map.of("domains", List.of(emailDomain))).patch("/v1/orgs/" + org).then().statusCode(200);
        String email = Api.newCode("jane") + "@" + emailDomain;
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("realm", realm, "enabled", true))
                .post(kc + "/admin/realms").then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of(
                        "clientId", sp, "protocol", "saml", "enabled", true, "redirectUris", List.of(sp + "/acs"),
                        "attributes", Map.of("saml_assertion_consumer_url_post", sp + "/acs", "saml.client.signature", "false",
                                "saml_single_logout_service_url_redirect", sp + "/slo", "saml_single_logout_service_url_post", sp + "/slo",
                                "saml.server.signature", "true", "saml.assertion.signature", "true",
                                "saml_force_name_id_format", "true", "saml_name_id_format", "email")))
                .post(kc + "/admin/realms/" + realm + "/clients").then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of(
                        "clientId", "gatehouse", "secret", "browser-secret", "publicClient", false, "standardFlowEnabled", true,
                        "redirectUris", List.of(base + "/v1/callback"),
                        "attributes", Map.of("post.logout.redirect.uris", base + "/logout/done")))
                .post(kc + "/admin/realms/" + realm + "/clients").then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of(
                        "username", "jane", "email", email, "emailVerified", true, "enabled", true, "firstName", "Jane", "lastName", "Browser",
                        "credentials", List.of(Map.of("type", "password", "value", "correct horse", "temporary", false))))
                .post(kc + "/admin/realms/" + realm + "/users").then().statusCode(201);
        Files.writeString(dir.resolve("idp-metadata.xml"),
                given().get(kc + "/realms/" + realm + "/protocol/saml/descriptor").then().statusCode(200).extract().asString());
        Files.writeString(dir.resolve("bad-metadata.xml"), "<html><body>This is the IdP's login page, not its metadata</body></html>");
        // A second org is set up by its IT admin from a setup link, against a realm whose SAML client the journey
        // makes itself from the values the setup page shows.
        String setupOrg = Api.newCode("itadm");
        operator().body(Map.of("code", setupOrg, "name", "Facility " + setupOrg.substring(6))).post("/v1/orgs").then().statusCode(201);
        String setupUrl = operator().body(Map.of("expires_in", "1h")).post("/v1/orgs/" + setupOrg + "/setup-links").then().statusCode(201)
                .extract().path("url");
        // Its second account shares its SSO configuration: the person switches to it from the landing page.
        String accountOrg = Api.newCode("east");
        operator().body(Map.of("code", accountOrg, "name", "East " + accountOrg.substring(5))).post("/v1/orgs").then().statusCode(201);
        operator().body(Map.of("org", setupOrg)).put("/v1/orgs/" + accountOrg + "/sso-parent").then().statusCode(200);
        String setupRealm = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String setupEmail = Api.newCode("it") + "@example.com";
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of("realm", setupRealm, "enabled", true))
                .post(kc + "/admin/realms").then().statusCode(201);
        given().auth().oauth2(token).contentType(ContentType.JSON).body(Map.of(
                        "username", "jane", "email", setupEmail, "emailVerified", true, "enabled", true, "firstName", "Ida", "lastName", "Setup",
                        "credentials", List.of(Map.of("type", "password", "value", "correct horse", "temporary", false))))
                .post(kc + "/admin/realms/" + setupRealm + "/users").then().statusCode(201);
        Path shots = Path.of("target", "screenshots");
        Files.createDirectories(shots);

        ProcessBuilder node = new ProcessBuilder("node", "journeys.mjs").directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(Path.of("target", "browser-journeys.log").toFile());
        node.environment().putAll(Map.ofEntries(
                Map.entry("BASE", base), Map.entry("SHOTS", shots.toAbsolutePath().toString()),
                Map.entry("ORG", org), Map.entry("ORG_NAME", orgName),
                Map.entry("ADMIN_USER", adminUser), Map.entry("ADMIN_PASSWORD", Api.PASSWORD),
                Map.entry("SAML_METADATA", dir.resolve("idp-metadata.xml").toAbsolutePath().toString()),
                Map.entry("BAD_METADATA", dir.resolve("bad-metadata.xml").toAbsolutePath().toString()),
                Map.entry("SAML_ENTITY_ID", kc + "/realms/" + realm), Map.entry("ACS_URL", sp + "/acs"),
                Map.entry("OIDC_ISSUER", kc + "/realms/" + realm), Map.entry("OIDC_CLIENT_ID", "gatehouse"),
                Map.entry("OIDC_CLIENT_SECRET", "browser-secret"),
                Map.entry("KC_USER", "jane"), Map.entry("KC_PASSWORD", "correct horse"), Map.entry("KC_EMAIL", email),
                Map.entry("KC_URL", kc), Map.entry("KC_ADMIN_USER", "admin"), Map.entry("KC_ADMIN_PASSWORD", "admin"),
                Map.entry("SETUP_URL", setupUrl), Map.entry("SETUP_ORG", setupOrg), Map.entry("SETUP_ORG_NAME", "Facility " + setupOrg.substring(6)),
                Map.entry("SETUP_REALM", setupRealm), Map.entry("SETUP_EMAIL", setupEmail),
                Map.entry("ACCOUNT_ORG", accountOrg), Map.entry("ACCOUNT_NAME", "East " + accountOrg.substring(5)),
                Map.entry("GH_ADMIN_TOKEN", Api.ADMIN_TOKEN),
                Map.entry("METADATA_DIR", dir.toAbsolutePath().toString())));
        Process process = node.start();
        boolean finished = process.waitFor(4, TimeUnit.MINUTES);
        String log = Files.readString(Path.of("target", "browser-journeys.log"));
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished && process.exitValue() == 0, "the browser journeys failed:\n" + log);
        System.out.println(log);

        assertEquals(1L, Db.count("select count(*) from users where email = ?", email), "one person, whichever protocol");
        assertEquals(List.of("oidc", "saml"), Db.column("select distinct a.protocol from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.outcome = 'success' and a.protocol <> 'password' order by 1", org));
        assertEquals(1L, Db.count("select count(*) from users u join orgs o on o.id = u.org_id where o.code = ? and u.email = ?", setupOrg, setupEmail),
                "the test sign-in made nobody; the person's own sign-in afterwards made one user");
        assertEquals(1L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id where o.code = ? and a.kind = 'test' and a.outcome = 'success'", setupOrg));
        for (String page : List.of("login", "login-sso", "home", "admin-sso", "admin-sso-error", "admin-users", "admin-attempts", "error",
                "setup-home", "setup-guide", "setup-connection", "setup-test", "org-login", "home-accounts")) {
            assertTrue(Files.size(shots.resolve(page + "-desktop.png")) > 5_000 && Files.size(shots.resolve(page + "-phone.png")) > 5_000, page);
        }
    }

    /** playwright-core from npm, installed once under target/browser from the committed lock file. */
    private static Path installPlaywright() throws Exception {
        Path source = Path.of("src", "test", "browser");
        Path dir = Path.of("target", "browser");
        Files.createDirectories(dir);
        for (String file : List.of("package.json", "package-lock.json", "journeys.mjs")) {
            Files.copy(source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("playwright-core"))) {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(Path.of("target", "npm-ci.log").toFile()).start();
            assertTrue(npm.waitFor(5, TimeUnit.MINUTES) && npm.exitValue() == 0,
                    "npm ci failed: " + Files.readString(Path.of("target", "npm-ci.log")));
        }
        return dir;
    }
}
