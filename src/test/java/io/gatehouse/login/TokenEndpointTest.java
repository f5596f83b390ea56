package io.gatehouse.login;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The mobile / SPA path: a one-time code from a finished sign-in, traded with PKCE, then refreshed. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TokenEndpointTest {

    private static final String CLIENT_ID = "mobile";
    private static final String REDIRECT = "com.example.app:/oauth/callback";

    @Inject
    LoginCompletion completion;

    private record Issued(String code, String verifier, UUID session, String org, UUID user) {
    }

    private Issued code() throws Exception {
        String org = Api.createOrg("token");
        UUID orgId = UUID.fromString(Api.operator().get("/v1/orgs/" + org).then().extract().path("id"));
        UUID connection = UUID.fromString(Api.createAzureConnection(org, "s"));
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(UUID.randomUUID().toString().repeat(2).getBytes(StandardCharsets.US_ASCII));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        CompletedLogin login = completion.complete(new ExternalIdentity(orgId, connection, "oidc", "sub-" + UUID.randomUUID(),
                        Api.newCode("m") + "@example.com", null, List.of(), null, true, false),
                new Delivery.Client(CLIENT_ID, REDIRECT, "st", challenge), new AttemptRecord.ClientInfo(null, null));
        String query = URI.create(login.redirect().toString()).getRawSchemeSpecificPart();
        String code = query.substring(query.indexOf("code=") + 5, query.indexOf("&state="));
        return new Issued(code, verifier, login.sessionId(), org, login.userId());
    }

    private static ValidatableResponse exchange(String code, String verifier, String redirect, String client) {
        var request = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code");
        if (code != null) {
            request.formParam("code", code);
        }
        if (verifier != null) {
            request.formParam("code_verifier", verifier);
        }
        request.formParam("redirect_uri", redirect).formParam("client_id", client);
        return request.post("/v1/token").then();
    }

    private static ValidatableResponse refresh(String token) {
        return given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", token).formParam("client_id", CLIENT_ID).post("/v1/token").then();
    }

    @Test
    void codeAndVerifierGiveTokens() throws Exception {
        Issued issued = code();
        String access = exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(900))
                .body("refresh_token", notNullValue()).extract().path("access_token");
        Api.as(access).get("/v1/me").then().statusCode(200).body("session_id", equalTo(issued.session.toString()));
    }

    @Test
    void codeIsSingleUseAndItsReplayEndsTheSession() throws Exception {
        Issued issued = code();
        String access = exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(200).extract().path("access_token");
        exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(400).body("error", equalTo("invalid_grant"));
        assertNotNull(Db.value("select revoked_at from sessions where id = ?", issued.session));
        Api.as(access).get("/v1/me").then().statusCode(401);
    }

    @Test
    void wrongVerifierIsRefused() throws Exception {
        Issued issued = code();
        exchange(issued.code, issued.verifier + "x", REDIRECT, CLIENT_ID).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void missingVerifierIsRefused() throws Exception {
        Issued issued = code();
        exchange(issued.code, null, REDIRECT, CLIENT_ID).statusCode(400).body("error", equalTo("invalid_request"));
    }

    @Test
    void otherRedirectUriIsRefused() throws Exception {
        Issued issued = code();
        exchange(issued.code, issued.verifier, "http://127.0.0.1:9/callback", CLIENT_ID).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void unknownClientIsRefused() throws Exception {
        Issued issued = code();
        exchange(issued.code, issued.verifier, REDIRECT, "other-app").statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void expiredCodeIsRefused() throws Exception {
        Issued issued = code();
        Db.value("update authorization_codes set expires_at = now() - interval '1 second' where session_id = ? returning 1", issued.session);
        exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void unknownCodeIsRefused() {
        exchange("no-such-code", "v".repeat(43), REDIRECT, CLIENT_ID).statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void unsupportedGrantType() {
        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "password").post("/v1/token")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
    }

    @Test
    void aRoleChangeRefusesTheOldTokensAtOnceAndARefreshSaysWhatHoldsNow() throws Exception {
        Issued issued = code();
        var tokens = exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(200).extract();
        String access = tokens.path("access_token");
        Api.operator().body(java.util.Map.of("roles", List.of("member", "dispatcher"))).patch("/v1/orgs/" + issued.org + "/users/" + issued.user)
                .then().statusCode(200);
        // The token said "member" only: it no longer speaks for the person, on the API or at forward-auth.
        Api.as(access).get("/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + access).get("/v1/auth/verify").then().statusCode(401);
        String fresh = refresh(tokens.path("refresh_token")).statusCode(200).extract().path("access_token");
        given().header("Authorization", "Bearer " + fresh).get("/v1/auth/verify?role=dispatcher").then().statusCode(200);
        // Disabled: the fresh token is refused at once, and no refresh brings it back.
        Api.operator().body(java.util.Map.of("status", "disabled")).patch("/v1/orgs/" + issued.org + "/users/" + issued.user)
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + fresh).get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void refreshTokensRotateAndReuseEndsTheSession() throws Exception {
        Issued issued = code();
        String first = exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(200).extract().path("refresh_token");
        String second = refresh(first).statusCode(200).body("refresh_token", not(equalTo(first))).extract().path("refresh_token");
        String access = refresh(second).statusCode(200).extract().path("access_token");
        Api.as(access).get("/v1/me").then().statusCode(200);
        refresh(first).statusCode(400).body("error", equalTo("invalid_grant"));
        assertNotNull(Db.value("select revoked_at from sessions where id = ?", issued.session));
        Api.as(access).get("/v1/me").then().statusCode(401);
    }

    @Test
    void aRefreshRefusedForThePersonStillUsesTheTokenUp() throws Exception {
        Issued issued = code();
        String first = exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(200).extract().path("refresh_token");
        // Disabled in the database, so the session itself is still active: the refusal comes from the person.
        Db.execute("update users set status = 'disabled' where id = ?", issued.user);
        refresh(first).statusCode(400).body("error", equalTo("invalid_grant"));
        assertNotNull(Db.value("select used_at from refresh_tokens where session_id = ? and used_at is not null", issued.session),
                "the refusal committed with the token used");
        Db.execute("update users set status = 'active' where id = ?", issued.user);
        // Back again, the used token is reuse: the session ends.
        refresh(first).statusCode(400).body("error", equalTo("invalid_grant"));
        assertNotNull(Db.value("select revoked_at from sessions where id = ?", issued.session));
    }

    @Test
    void unknownRefreshTokenIsRefused() {
        refresh("not-a-refresh-token").statusCode(400).body("error", equalTo("invalid_grant"));
    }

    private static io.restassured.response.ValidatableResponse revoke(String token, String hint, String clientId) {
        var request = given().contentType("application/x-www-form-urlencoded").formParam("token", token).formParam("client_id", clientId);
        if (hint != null) {
            request.formParam("token_type_hint", hint);
        }
        return request.post("/v1/revoke").then();
    }

    @Test
    void rfc7009RevocationEndsTheSessionOfARefreshToken() throws Exception {
        Issued issued = code();
        var tokens = exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(200).extract();
        String refreshToken = tokens.path("refresh_token");
        String access = tokens.path("access_token");
        Api.as(access).get("/v1/me").then().statusCode(200);
        revoke(refreshToken, "refresh_token", CLIENT_ID).statusCode(200).header("Cache-Control", "no-store");
        refresh(refreshToken).statusCode(400).body("error", equalTo("invalid_grant"));
        Api.as(access).get("/v1/me").then().statusCode(401);
        assertNotNull(Db.value("select revoked_at from sessions where id = ?", issued.session));
        org.junit.jupiter.api.Assertions.assertEquals("revoke", Db.value(
                "select detail->>'direction' from login_attempts where kind = 'logout' and user_id = ? order by seq desc limit 1", issued.user));
        // Revoking again, or revoking junk, is still 200 (nothing to learn); an unknown client is not.
        revoke(refreshToken, null, CLIENT_ID).statusCode(200);
        revoke("not-a-token", null, CLIENT_ID).statusCode(200);
        revoke(refreshToken, null, "not-registered").statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void rfc7009RevocationOfAnAccessTokenEndsItsSession() throws Exception {
        Issued issued = code();
        var tokens = exchange(issued.code, issued.verifier, REDIRECT, CLIENT_ID).statusCode(200).extract();
        String access = tokens.path("access_token");
        revoke(access, "access_token", CLIENT_ID).statusCode(200);
        Api.as(access).get("/v1/me").then().statusCode(401);
        refresh(tokens.path("refresh_token")).statusCode(400);
    }
}
