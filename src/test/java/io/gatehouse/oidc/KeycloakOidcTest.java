package io.gatehouse.oidc;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.Keycloak;
import io.gatehouse.testing.Keycloak.Realm;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestBrowser;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole browser flow against Keycloak (org.keycloak:keycloak-quarkus-dist from Maven Central,
 * unpacked under target/ by the build), an IdP that enforces PKCE, redirect URIs and client secrets.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeycloakOidcTest {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static String keycloakUrl;

    @BeforeEach
    void startKeycloak() throws Exception {
        keycloakUrl = Keycloak.url();
    }

    private static String adminToken() throws Exception {
        return Keycloak.adminToken();
    }

    /** A realm with a confidential client that requires PKCE S256, and one user. */
    private static Realm realm(String secret, String username, String email) throws Exception {
        return Keycloak.oidcRealm(secret, "http://localhost:" + RestAssured.port + "/v1/callback", username, email);
    }

    private static String orgFor(Realm realm, String secret) {
        String org = Api.createOrg("kc");
        operator().body(Map.of("type", "oidc", "issuer", keycloakUrl + "/realms/" + realm.name(), "client_id", "gatehouse",
                "client_secret", secret, "scopes", List.of("openid", "email", "profile")))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        return org;
    }

    /** Starts at Gatehouse, signs in on Keycloak's own login form, and returns the last answer. */
    private static HttpResponse<String> signIn(TestBrowser browser, String org, String username) throws Exception {
        HttpResponse<String> loginPage = browser.follow("http://localhost:" + RestAssured.port + "/v1/sso/start?login=" + org
                + "&return_to=https%3A%2F%2Fapp.example.com%2F");
        assertEquals(200, loginPage.statusCode(), loginPage.body());
        Matcher action = FORM_ACTION.matcher(loginPage.body());
        assertTrue(action.find(), "Keycloak's login form");
        return browser.submit(action.group(1).replace("&amp;", "&"), Map.of("username", username, "password", "correct horse"));
    }

    /**
     * A test sign-in from setup through a draft OIDC connection: Keycloak's real sign-in, then a report of
     * the ID token's claims and what a sign-in would do; no user, no link, no session; the draft stays closed
     * to everyone else.
     */
    @Test
    void aTestSignInThroughADraftOidcConnectionReportsTheClaimsAndMakesNoOne() throws Exception {
        String email = Api.newCode("kctest") + "@example.com";
        Realm realm = realm("test-secret", "jane", email);
        String org = orgFor(realm, "test-secret");
        String id = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].id");
        Db.execute("update connections set draft = true, enabled = false where id = ?::uuid", id);
        String url = operator().body(Map.of("scope", List.of("sso"))).post("/v1/orgs/" + org + "/setup-links").then().statusCode(201)
                .extract().path("url");

        String gatehouse = "http://localhost:" + RestAssured.port;
        TestBrowser browser = new TestBrowser(gatehouse);
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(browser.get(gatehouse + "/setup/link").body());
        assertTrue(csrf.find());
        assertEquals(303, browser.post(gatehouse + "/setup/link", Map.of("csrf", csrf.group(1), "secret", url)).statusCode());
        String before = Db.snapshot("users", "identity_links", "sessions", "memberships");
        HttpResponse<String> loginPage = browser.submit(gatehouse + "/setup/connections/" + id + "/test", Map.of("csrf", csrf.group(1)));
        assertEquals(200, loginPage.statusCode(), loginPage.body());
        Matcher action = FORM_ACTION.matcher(loginPage.body());
        assertTrue(action.find(), "Keycloak's login form");
        HttpResponse<String> report = browser.submit(action.group(1).replace("&amp;", "&"), Map.of("username", "jane", "password", "correct horse"));
        assertEquals(200, report.statusCode(), report.body());
        assertTrue(report.uri().getPath().startsWith("/setup/tests/"), report.uri().toString());
        assertTrue(report.body().contains("data-outcome=\"create\""), report.body());
        assertTrue(report.body().contains(email) && report.body().contains("email_verified") && report.body().contains("preferred_username"),
                "the ID token's claims are shown");
        assertEquals(before, Db.snapshot("users", "identity_links", "sessions", "memberships"), "no user, no link, no session");
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(1L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id where o.code = ? and a.kind = 'test'", org));
        operator().get("/v1/orgs/" + org + "/connections/" + id).then().statusCode(200)
                .body("draft", Matchers.equalTo(true)).body("tested_at", Matchers.notNullValue());

        // Everyone else still finds the draft closed: a sign-in through it is not even started.
        TestBrowser other = new TestBrowser(gatehouse);
        HttpResponse<String> closed = other.follow(gatehouse + "/v1/oidc/" + org + "/login?connection=" + id);
        assertTrue(closed.statusCode() >= 400, closed.statusCode() + " " + closed.uri());
    }

    /** One OIDC client in Keycloak for a parent org; its account's people sign in through it into the account. */
    @Test
    void anAccountSignsInThroughItsParentsOidcConnection() throws Exception {
        String email = Api.newCode("kcacc") + "@example.com";
        Realm realm = realm("acc-secret", "jane", email);
        String parent = orgFor(realm, "acc-secret");
        String account = Api.createOrg("kcacct");
        operator().body(Map.of("org", parent)).put("/v1/orgs/" + account + "/sso-parent").then().statusCode(200);
        operator().body(Map.of("org", account)).put("/v1/orgs/" + parent + "/default-account").then().statusCode(200);
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> loginPage = browser.follow("http://localhost:" + RestAssured.port + "/v1/sso/start?login=" + account);
        Matcher action = FORM_ACTION.matcher(loginPage.body());
        assertTrue(action.find(), "Keycloak's login form: " + loginPage.body());
        browser.submit(action.group(1).replace("&amp;", "&"), Map.of("username", "jane", "password", "correct horse"));
        String cookie = browser.setCookie("gatehouse_session");
        given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(200).header("X-Auth-Org", account);
        given().auth().oauth2(cookie).get("/v1/me/accounts").then().statusCode(200)
                .body("data.org", Matchers.equalTo(List.of(account)));
        assertEquals(parent, Db.value("select o.code from users u join orgs o on o.id = u.org_id where u.email = ?", email),
                "the person is of the configuration's parent");
    }

    @Test
    void keycloakAdvertisesRfc9207SoItsIssIsRequiredAndChecked() throws Exception {
        String email = Api.newCode("kciss") + "@example.com";
        Realm realm = realm("iss-secret", "jane", email);
        String org = orgFor(realm, "iss-secret");
        String expected = keycloakUrl + "/realms/" + realm.name();
        for (String tampered : List.of("", "&iss=" + java.net.URLEncoder.encode(keycloakUrl + "/realms/master", java.nio.charset.StandardCharsets.UTF_8))) {
            TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
            HttpResponse<String> loginPage = browser.follow("http://localhost:" + RestAssured.port + "/v1/sso/start?login=" + org);
            Matcher action = FORM_ACTION.matcher(loginPage.body());
            assertTrue(action.find(), "Keycloak's login form");
            HttpResponse<String> answer = browser.post(action.group(1).replace("&amp;", "&"), Map.of("username", "jane", "password", "correct horse"));
            String callback = answer.headers().firstValue("Location").orElseThrow();
            assertTrue(callback.contains("iss=" + java.net.URLEncoder.encode(expected, java.nio.charset.StandardCharsets.UTF_8)), callback);
            // The same answer without its iss, or naming another issuer: the code is never used.
            String before = Db.snapshot();
            HttpResponse<String> last = browser.follow(callback.replaceAll("([?&])iss=[^&]*&?", "$1") + tampered);
            assertEquals(401, last.statusCode(), last.body());
            assertEquals(null, browser.setCookie("gatehouse_session"));
            assertEquals(before, Db.snapshot());
        }
        assertEquals(List.of("issuer_mismatch", "issuer_mismatch"), Db.column("select reason from login_attempts a join orgs o "
                + "on o.id = a.org_id where o.code = ? order by a.created_at", org));
    }

    @Test
    void keycloaksAdminSignOutEndsTheGatehouseSessionByBackChannelLogout() throws Exception {
        String email = Api.newCode("kcbcl") + "@example.com";
        Realm realm = realm("bcl-secret", "jane", email);
        String org = orgFor(realm, "bcl-secret");
        String admin = adminToken();
        // The client as an admin configures it in Keycloak: the back-channel logout URL Gatehouse shows, with sid.
        String backchannel = operator().get("/v1/orgs/" + org + "/sso").then().statusCode(200).extract().path("urls.backchannel_logout_url");
        java.util.Map<String, Object> client = given().auth().oauth2(admin)
                .get(keycloakUrl + "/admin/realms/" + realm.name() + "/clients/" + realm.clientUuid()).then().statusCode(200).extract().as(java.util.Map.class);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> attributes = new java.util.HashMap<>((java.util.Map<String, Object>) client.get("attributes"));
        attributes.put("backchannel.logout.url", backchannel.replace("http://localhost:8080", "http://localhost:" + RestAssured.port));
        attributes.put("backchannel.logout.session.required", "true");
        client.put("attributes", attributes);
        given().auth().oauth2(admin).contentType(io.restassured.http.ContentType.JSON).body(client)
                .put(keycloakUrl + "/admin/realms/" + realm.name() + "/clients/" + realm.clientUuid()).then().statusCode(204);

        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        assertEquals(303, signIn(browser, org, "jane").statusCode());
        String cookie = browser.setCookie("gatehouse_session");
        given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(200);

        String userId = given().auth().oauth2(admin).queryParam("username", "jane")
                .get(keycloakUrl + "/admin/realms/" + realm.name() + "/users").then().statusCode(200).extract().path("[0].id");
        given().auth().oauth2(admin).post(keycloakUrl + "/admin/realms/" + realm.name() + "/users/" + userId + "/logout")
                .then().statusCode(204);
        long deadline = System.nanoTime() + 5_000_000_000L;
        int status;
        do {
            status = given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        assertEquals(401, status, "Keycloak's sign-out reached Gatehouse by back-channel logout");
        assertEquals("idp-backchannel", Db.value("select a.detail->>'direction' from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.kind = 'logout' and a.outcome = 'success'", org));
    }

    @Test
    void signingOutWithTheIdpEndsTheKeycloakSessionToo() throws Exception {
        String email = Api.newCode("kcrp") + "@example.com";
        Realm realm = realm("rp-secret", "jane", email);
        String org = orgFor(realm, "rp-secret");
        String admin = adminToken();
        String postLogout = operator().get("/v1/orgs/" + org + "/sso").then().statusCode(200).extract().path("urls.post_logout_redirect_uri");
        assertEquals("http://localhost:8080/logout/done", postLogout);
        java.util.Map<String, Object> client = given().auth().oauth2(admin)
                .get(keycloakUrl + "/admin/realms/" + realm.name() + "/clients/" + realm.clientUuid()).then().statusCode(200).extract().as(java.util.Map.class);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> attributes = new java.util.HashMap<>((java.util.Map<String, Object>) client.get("attributes"));
        attributes.put("post.logout.redirect.uris", postLogout);
        client.put("attributes", attributes);
        given().auth().oauth2(admin).contentType(io.restassured.http.ContentType.JSON).body(client)
                .put(keycloakUrl + "/admin/realms/" + realm.name() + "/clients/" + realm.clientUuid()).then().statusCode(204);

        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        assertEquals(303, signIn(browser, org, "jane").statusCode());
        String cookie = browser.setCookie("gatehouse_session");
        // Without a new password Keycloak signs jane in again: its own session is alive.
        assertEquals(303, browser.follow("http://localhost:" + RestAssured.port + "/v1/sso/start?login=" + org
                + "&return_to=https%3A%2F%2Fapp.example.com%2F").statusCode(), "single sign-on while Keycloak's session lives");

        String idpLogout = given().cookie("gatehouse_session", cookie).post("/v1/logout?idp=true").then().statusCode(200)
                .extract().path("idp_logout_url");
        assertTrue(idpLogout.startsWith(keycloakUrl + "/realms/" + realm.name() + "/protocol/openid-connect/logout?id_token_hint="), idpLogout);
        assertTrue(idpLogout.contains("client_id=gatehouse") && idpLogout.contains("post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Flogout%2Fdone"), idpLogout);
        given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(401);
        assertEquals("rp-with-idp", Db.value("select a.detail->>'direction' from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.kind = 'logout' order by a.seq desc limit 1", org));
        HttpResponse<String> back = browser.follow(idpLogout);
        assertEquals(200, back.statusCode());
        assertTrue(back.uri().getPath().equals("/login"), "back on Gatehouse's sign-in page: " + back.uri());
        // Keycloak's session ended: the next sign-in asks for the password again.
        assertEquals(303, signIn(browser, org, "jane").statusCode());
    }

    @Test
    void fullBrowserFlowAgainstAnIdpThatEnforcesPkce() throws Exception {
        String email = Api.newCode("kc") + "@example.com";
        Realm realm = realm("first-secret", "jane", email);
        String org = orgFor(realm, "first-secret");
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> last = signIn(browser, org, "jane");
        assertEquals(303, last.statusCode(), last.body());
        assertEquals("https://app.example.com/", last.headers().firstValue("Location").orElseThrow());
        String cookie = browser.setCookie("gatehouse_session");
        assertNotNull(cookie);
        given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(200).header("X-Auth-Org", org);
        assertEquals("Jane Doe", Db.value("select display_name from users where email = ?", email));
    }

    @Test
    void anIdTokenTooLargeForACookieStillSignsIn() throws Exception {
        String email = Api.newCode("big") + "@example.com";
        Realm realm = realm("big-secret", "bigjane", email);
        // Like Entra ID with many groups: the ID token alone is larger than a browser keeps in one cookie.
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON).body(Map.of(
                        "name", "padding", "protocol", "openid-connect", "protocolMapper", "oidc-hardcoded-claim-mapper",
                        "config", Map.of("claim.name", "padding", "claim.value", "g".repeat(6000), "jsonType.label", "String",
                                "id.token.claim", "true", "access.token.claim", "false", "userinfo.token.claim", "false")))
                .post(keycloakUrl + "/admin/realms/" + realm.name() + "/clients/" + realm.clientUuid() + "/protocol-mappers/models")
                .then().statusCode(201);
        String org = orgFor(realm, "big-secret");
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        long statesBefore = Db.count("select count(*) from oidc_token_states");
        HttpResponse<String> last = signIn(browser, org, "bigjane");
        assertEquals(statesBefore, Db.count("select count(*) from oidc_token_states"), "the OIDC session ended with the sign-in");
        assertEquals(303, last.statusCode(), last.body());
        assertEquals("https://app.example.com/", last.headers().firstValue("Location").orElseThrow());
        given().cookie("gatehouse_session", browser.setCookie("gatehouse_session")).get("/v1/auth/verify").then().statusCode(200);
        for (HttpResponse<String> hop : browser.hops()) {
            if (hop.uri().getPort() == RestAssured.port) {
                hop.headers().allValues("Set-Cookie").forEach(c -> assertTrue(TestBrowser.fitsABrowser(c),
                        "a cookie a browser would drop: " + c.substring(0, Math.min(80, c.length()))));
            }
        }
    }

    @Test
    void rotatedClientSecretTakesEffectWithoutRestart() throws Exception {
        String email = Api.newCode("rot") + "@example.com";
        Realm realm = realm("old-secret", "joe", email);
        String org = orgFor(realm, "old-secret");
        assertEquals(303, signIn(new TestBrowser("http://localhost:" + RestAssured.port), org, "joe").statusCode());

        // The admin rotates the secret in the IdP: Gatehouse's old one is refused there ...
        given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("clientId", "gatehouse", "secret", "new-secret"))
                .put(keycloakUrl + "/admin/realms/" + realm.name() + "/clients/" + realm.clientUuid()).then().statusCode(204);
        HttpResponse<String> refused = signIn(new TestBrowser("http://localhost:" + RestAssured.port), org, "joe");
        assertEquals(401, refused.statusCode());
        assertEquals(List.of("code_exchange_failed"), Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.outcome = 'failure'", org));

        // ... until the new one is saved through the API; the very next sign-in uses it.
        String id = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].id");
        operator().body(Map.of("client_secret", "new-secret")).patch("/v1/orgs/" + org + "/connections/" + id).then().statusCode(200);
        assertEquals(303, signIn(new TestBrowser("http://localhost:" + RestAssured.port), org, "joe").statusCode());
    }
}
