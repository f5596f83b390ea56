package io.gatehouse.logging;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestBrowser;
import io.gatehouse.testing.TestSamlIdp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives the refusal paths of both protocols, of passwords, tokens, forward-auth and the admin API, and
 * one success of each, with Gatehouse's log written to a file as in production (INFO, libraries
 * included); then reads every line for what must never be there: tokens, ID tokens, SAMLResponses and
 * assertions, codes, cookies, passwords, secrets, email addresses. The one INFO line per login outcome
 * is there, with its org and reason.
 */
@QuarkusTest
@TestProfile(LogHygieneTest.FileLog.class)
@WithTestResource(PostgresResource.class)
class LogHygieneTest {

    /** One file per JVM (the profile and the test are loaded by different class loaders: a system property). */
    static final Path LOG = Path.of(System.getProperties().computeIfAbsent("loghygiene.file",
            k -> "target/logs/hygiene-" + UUID.randomUUID() + ".log").toString());

    public static class FileLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.level", "ALL");
        }
    }

    private static MockOAuth2Server oidcIdp;
    /** Everything secret this test hands to Gatehouse or gets from it: none may be logged. */
    private final List<String> secrets = new ArrayList<>();

    @BeforeAll
    static void start() {
        oidcIdp = new MockOAuth2Server();
        oidcIdp.start();
    }

    @AfterAll
    static void stop() {
        oidcIdp.shutdown();
    }

    private static String gatehouse() {
        return "http://localhost:" + RestAssured.port;
    }

    private String email(String who) {
        String email = who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@hygiene.example";
        secrets.add(email);
        return email;
    }

    private String secret(String prefix) {
        String value = prefix + "-" + UUID.randomUUID();
        secrets.add(value);
        return value;
    }

    private void oidcFlows() throws Exception {
        String issuer = "hygiene-" + UUID.randomUUID();
        String org = Api.createOrg("hyg-oidc");
        String clientSecret = secret("client-secret");
        operator().body(Map.of("type", "oidc", "issuer", oidcIdp.issuerUrl(issuer).toString(), "client_id", "gatehouse-" + org,
                "client_secret", clientSecret)).post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        // A success.
        oidcIdp.enqueueCallback(new DefaultOAuth2TokenCallback(issuer, "subject-ok", "JWT", null, Map.of("email", email("ok")), 3600));
        TestBrowser ok = new TestBrowser(gatehouse());
        ok.follow(gatehouse() + "/v1/sso/start?login=" + org);
        secrets.add(java.util.Objects.requireNonNull(ok.setCookie("gatehouse_session"), "signed in"));
        // An ID token for another audience: quarkus-oidc refuses it (and would log its claims).
        oidcIdp.enqueueCallback(new DefaultOAuth2TokenCallback(issuer, "subject-aud", "JWT", null,
                Map.of("email", email("aud"), "aud", "someone-else"), 3600));
        new TestBrowser(gatehouse()).follow(gatehouse() + "/v1/sso/start?login=" + org);
        // An expired ID token.
        oidcIdp.enqueueCallback(new DefaultOAuth2TokenCallback(issuer, "subject-exp", "JWT", null,
                Map.of("email", email("expired"), "exp", java.time.Instant.now().minusSeconds(3600).getEpochSecond()), 1));
        new TestBrowser(gatehouse()).follow(gatehouse() + "/v1/sso/start?login=" + org);
        // A callback with a code but no state of this browser; one with another flow's state; an IdP error.
        String code = secret("code");
        new TestBrowser(gatehouse()).follow(gatehouse() + "/v1/callback?code=" + code + "&state=" + secret("state"));
        TestBrowser started = new TestBrowser(gatehouse());
        started.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + org);
        started.follow(gatehouse() + "/v1/callback?code=" + secret("code") + "&state=" + secret("state"));
        TestBrowser denied = new TestBrowser(gatehouse());
        String state = denied.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + org);
        denied.follow(gatehouse() + "/v1/callback?error=access_denied&error_description=" + email("denied") + "&state=" + state);
    }

    private void samlFlows() throws Exception {
        TestSamlIdp idp = new TestSamlIdp("https://idp.hygiene.example/" + UUID.randomUUID());
        String org = Api.createOrg("hyg-saml");
        operator().body(Map.of("type", "saml", "metadata_xml", idp.metadata("https://idp.hygiene.example/sso")))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        String sp = "http://localhost:8080/v1/saml/" + org;
        Map<String, TestSamlIdp.ResponseSpec> responses = new LinkedHashMap<>();
        responses.put("ok", idp.response(sp, sp + "/acs").with(r -> r.nameId = email("saml-ok")));
        responses.put("other key", idp.response(sp, sp + "/acs").with(r -> {
            r.nameId = email("saml-key");
            r.signer = new TestSamlIdp("https://other.example", TestSamlIdp.newKey()).response(sp, sp + "/acs").signer;
        }));
        responses.put("unsigned", idp.response(sp, sp + "/acs").with(r -> {
            r.nameId = email("saml-unsigned");
            r.signAssertion = false;
        }));
        responses.put("other audience", idp.response("https://elsewhere.example", sp + "/acs").with(r -> r.nameId = email("saml-aud")));
        responses.put("expired", idp.response(sp, sp + "/acs").with(r -> {
            r.nameId = email("saml-expired");
            r.now = java.time.Instant.now().minusSeconds(7200);
        }));
        responses.put("unknown request", idp.response(sp, sp + "/acs").with(r -> {
            r.nameId = email("saml-request");
            r.inResponseTo = "_" + UUID.randomUUID();
        }));
        String replayed = null;
        for (var entry : responses.entrySet()) {
            String base64 = entry.getValue().base64();
            secrets.add(base64.substring(0, 60));
            secrets.add(entry.getValue().assertionId);
            int status = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("SAMLResponse", base64).post("/v1/saml/" + org + "/acs").statusCode();
            assertEquals(entry.getKey().equals("ok") ? 303 : 403, status, entry.getKey());
            if (entry.getKey().equals("ok")) {
                replayed = base64;
            }
        }
        given().contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", replayed)
                .post("/v1/saml/" + org + "/acs").then().statusCode(403);
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><samlp:Response xmlns:samlp="
                + "\"urn:oasis:names:tc:SAML:2.0:protocol\">&x;" + email("saml-xxe") + "</samlp:Response>";
        String junk = Base64.getEncoder().encodeToString(xxe.getBytes(StandardCharsets.UTF_8));
        secrets.add(junk.substring(0, 60));
        given().contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", junk)
                .post("/v1/saml/" + org + "/acs").then().statusCode(403);
        given().contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", secret("not-base64") + "%%%")
                .post("/v1/saml/" + org + "/acs").then().statusCode(403);
    }

    private void passwordAndTokenFlows() {
        String org = Api.createOrg("hyg-pwd");
        String username = Api.newCode("hyg");
        String userEmail = email("pwd");
        String password = secret("Password");
        operator().body(Map.of("username", username, "email", userEmail, "password", password, "roles", List.of()))
                .post("/v1/orgs/" + org + "/users").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", secret("wrong-password")))
                .post("/v1/login").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", email("unknown"), "password", secret("guess")))
                .post("/v1/login").then().statusCode(401);
        var signedIn = given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/v1/login").then().statusCode(200).extract();
        String token = signedIn.path("access_token");
        secrets.add(token);
        given().formParam("grant_type", "authorization_code").formParam("code", secret("code")).formParam("client_id", "mobile")
                .formParam("redirect_uri", "com.example.app:/oauth/callback").formParam("code_verifier", secret("verifier"))
                .post("/v1/token").then().statusCode(400);
        given().formParam("grant_type", "refresh_token").formParam("refresh_token", secret("refresh")).formParam("client_id", "mobile")
                .post("/v1/token").then().statusCode(400);
        String tampered = token.substring(0, token.length() - 4) + "AAAA";
        secrets.add(tampered);
        given().header("Authorization", "Bearer " + tampered).get("/v1/auth/verify").then().statusCode(401);
        given().header("Authorization", "Bearer " + tampered).get("/v1/me").then().statusCode(401);
        given().cookie("gatehouse_session", secret("cookie")).get("/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + secret("admin-token")).get("/v1/orgs").then().statusCode(401);
    }

    /** A setup link made, opened (its secret traded for a page session), used, revoked, and opened again (refused). */
    private void setupFlows() throws Exception {
        String code = Api.createOrg("hyg-setup");
        var made = operator().body(Map.of()).post("/v1/orgs/" + code + "/setup-links").then().statusCode(201).extract();
        String url = made.path("url");
        String secret = java.net.URI.create(url).getFragment();
        secrets.add(secret);
        TestBrowser it = new TestBrowser(gatehouse());
        java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                .matcher(it.get(gatehouse() + "/setup/link").body());
        org.junit.jupiter.api.Assertions.assertTrue(csrf.find());
        var opened = it.post(gatehouse() + "/setup/link", Map.of("csrf", csrf.group(1), "secret", url));
        assertEquals(303, opened.statusCode());
        String session = it.setCookie("gatehouse_setup");
        secrets.add(session);
        assertEquals(200, it.get(gatehouse() + "/setup").statusCode());
        operator().delete("/v1/orgs/" + code + "/setup-links/" + made.path("id")).then().statusCode(204);
        assertEquals(403, it.post(gatehouse() + "/setup/link", Map.of("csrf", csrf.group(1), "secret", url)).statusCode());
    }

    @Test
    void noSecretOrPersonalDataReachesTheLog() throws Exception {
        oidcFlows();
        samlFlows();
        passwordAndTokenFlows();
        setupFlows();
        Thread.sleep(500);
        String log = Files.readString(LOG);
        List<String> found = new ArrayList<>();
        for (String secret : secrets) {
            if (log.contains(secret)) {
                found.add(secret + " in: " + lineOf(log, secret));
            }
        }
        for (Pattern pattern : List.of(
                Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}"),          // a JWT
                Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\\.[A-Za-z0-9.-]+"),   // an email address
                Pattern.compile("PHNhbWxwOlJlc3BvbnNl|PD94bWwg"),                     // base64 of <samlp:Response / <?xml
                Pattern.compile("<(saml2?:)?Assertion|<(samlp?:)?Response"),          // SAML XML
                Pattern.compile("(?i)client_secret=|password=|refresh_token=|[?&]code="))) {
            Matcher m = pattern.matcher(log);
            while (m.find()) {
                found.add(m.group() + " in: " + lineOf(log, m.group()));
            }
        }
        assertEquals(List.of(), found, "the log holds what it must not");
        // Each login outcome is one INFO line with the org and the reason.
        assertTrue(log.lines().anyMatch(l -> l.contains("INFO") && l.contains("id_token_invalid")), "the refused OIDC sign-in is logged");
        assertTrue(log.lines().anyMatch(l -> l.contains("INFO") && l.contains("signature_invalid")), "the refused SAML sign-in is logged");
    }

    private static String lineOf(String log, String needle) {
        return log.lines().filter(l -> l.contains(needle)).findFirst().orElse("?");
    }
}
