package io.gatehouse.oidc;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestBrowser;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * OIDC back-channel logout with tokens signed by a real OIDC provider on loopback (mock-oauth2-server):
 * a valid token ends the session of its sid (or every session of its sub); each wrong one (a nonce, no
 * events, another issuer, another audience, replayed) is a 400 that ends nothing; every one is logged.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class BackChannelLogoutTest {

    private static MockOAuth2Server idp;

    @BeforeAll
    static void start() {
        idp = new MockOAuth2Server();
        idp.start();
    }

    @AfterAll
    static void stop() {
        idp.shutdown();
    }

    private record SignedIn(String org, String issuer, String clientId, String cookie) {
    }

    private static SignedIn signIn(String sid, String subject) throws Exception {
        String issuer = "bcl-" + UUID.randomUUID();
        String org = Api.createOrg("bcl");
        String clientId = "gatehouse-" + org;
        operator().body(Map.of("type", "oidc", "issuer", idp.issuerUrl(issuer).toString(), "client_id", clientId, "client_secret", "s"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(issuer, subject, "JWT", null,
                Map.of("email", subject + "@bcl.example", "sid", sid), 3600));
        String base = "http://localhost:" + RestAssured.port;
        TestBrowser browser = new TestBrowser(base);
        browser.follow(base + "/v1/sso/start?login=" + org);
        String cookie = browser.setCookie("gatehouse_session");
        assertNotNull(cookie);
        return new SignedIn(org, issuer, clientId, cookie);
    }

    private static String logoutToken(String issuer, String audience, Map<String, Object> claims) {
        Map<String, Object> all = new HashMap<>(Map.of("events", Map.of(BackChannelLogout.EVENT, Map.of()), "jti", UUID.randomUUID().toString()));
        all.putAll(claims);
        all.values().removeIf(v -> v == null);
        return idp.issueToken(issuer, audience, new DefaultOAuth2TokenCallback(issuer, (String) claims.getOrDefault("sub", "someone"),
                "logout+jwt", List.of(audience), all, 120)).serialize();
    }

    private static io.restassured.response.ValidatableResponse post(String org, String token) {
        return given().contentType("application/x-www-form-urlencoded").formParam("logout_token", token)
                .post("/v1/oidc/" + org + "/backchannel-logout").then();
    }

    @Test
    void aValidLogoutTokenEndsTheSessionOfItsSidOnce() throws Exception {
        SignedIn s = signIn("sid-" + UUID.randomUUID(), "subject-a");
        given().cookie("gatehouse_session", s.cookie()).get("/v1/auth/verify").then().statusCode(200);
        String sid = (String) Db.value("select idp_session_ref from sessions s join orgs o on o.id = s.org_id where o.code = ?", s.org());
        String token = logoutToken(s.issuer(), s.clientId(), Map.of("sid", sid, "sub", "subject-a"));
        post(s.org(), token).statusCode(200).header("Cache-Control", "no-store");
        given().cookie("gatehouse_session", s.cookie()).get("/v1/auth/verify").then().statusCode(401);
        assertEquals(1L, Db.count("select count(*) from sessions s join orgs o on o.id = s.org_id where o.code = ? and s.revoked_at is not null", s.org()));
        post(s.org(), token).statusCode(400).body("error_description", containsString("used already"));
        assertEquals(List.of("failure:logout_token_invalid", "success:null"), Db.column("select outcome || ':' || coalesce(reason, 'null') "
                + "from login_attempts a join orgs o on o.id = a.org_id where o.code = ? and kind = 'logout' order by seq desc", s.org()));
        assertEquals("idp-backchannel", Db.value("select detail->>'direction' from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and kind = 'logout' and outcome = 'success'", s.org()));
    }

    @Test
    void aLogoutTokenWithOnlyASubEndsThatPersonsSessions() throws Exception {
        SignedIn s = signIn("sid-" + UUID.randomUUID(), "subject-only");
        post(s.org(), logoutToken(s.issuer(), s.clientId(), Map.of("sub", "subject-only"))).statusCode(200);
        given().cookie("gatehouse_session", s.cookie()).get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void eachWrongLogoutTokenIsA400ThatEndsNothing() throws Exception {
        SignedIn s = signIn("sid-" + UUID.randomUUID(), "subject-b");
        String sid = (String) Db.value("select idp_session_ref from sessions s join orgs o on o.id = s.org_id where o.code = ?", s.org());
        Map<String, Object> ok = Map.of("sid", sid);
        Map<String, String> wrong = new java.util.LinkedHashMap<>();
        wrong.put("nonce", logoutToken(s.issuer(), s.clientId(), Map.of("sid", sid, "nonce", "n-1")));
        Map<String, Object> noEvents = new HashMap<>(ok);
        noEvents.put("events", Map.of("http://schemas.openid.net/event/other", Map.of()));
        wrong.put("events", logoutToken(s.issuer(), s.clientId(), noEvents));
        wrong.put("issuer", logoutToken("another-" + UUID.randomUUID(), s.clientId(), ok));
        wrong.put("aud", logoutToken(s.issuer(), "another-client", ok));
        wrong.put("sid or sub", logoutToken(s.issuer(), s.clientId(), Map.of("sub", "")));
        wrong.put("not a JWT", "not-a-jwt");
        for (var w : wrong.entrySet()) {
            String before = Db.snapshot();
            post(s.org(), w.getValue()).statusCode(400).body("error", equalTo("invalid_request"));
            assertEquals(before, Db.snapshot(), w.getKey() + ": nothing ended");
        }
        given().cookie("gatehouse_session", s.cookie()).get("/v1/auth/verify").then().statusCode(200);
        assertEquals((long) wrong.size(), Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and kind = 'logout' and outcome = 'failure'", s.org()));
    }
}
