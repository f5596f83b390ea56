package io.gatehouse.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.testing.Api;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class TokenTest {

    @Test
    void tokenVerifiesAgainstThePublishedJwksWithAnIndependentLibrary() throws Exception {
        String org = Api.createOrg("jwks");
        String username = Api.newCode("jwt");
        String userId = Api.createUser(org, username, "admin", "dispatcher");
        SignedJWT jwt = SignedJWT.parse(Api.login(username));

        JWKSet jwks = JWKSet.parse(given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertNotNull(key, "the token's kid is published");
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertTrue(jwt.verify(new ECDSAVerifier(key)));

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("http://localhost:8080", claims.getIssuer());
        assertEquals(List.of("gatehouse"), claims.getAudience());
        assertEquals(userId, claims.getSubject());
        assertEquals(org, claims.getStringClaim("org"));
        assertEquals(List.of("admin", "dispatcher"), claims.getStringListClaim("roles"));
        assertEquals(List.of("pwd"), claims.getStringListClaim("amr"));
        assertEquals(username + "@example.com", claims.getStringClaim("email"));
        assertNotNull(claims.getJWTID());
        assertNotNull(claims.getStringClaim("sid"));
        assertNotNull(claims.getStringClaim("org_id"));
        assertEquals(900, (claims.getExpirationTime().getTime() - claims.getIssueTime().getTime()) / 1000);
    }

    @Test
    void discoveryPointsAtTheJwks() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("issuer", equalTo("http://localhost:8080"))
                .body("jwks_uri", equalTo("http://localhost:8080/.well-known/jwks.json"))
                .body("token_endpoint", equalTo("http://localhost:8080/v1/token"))
                .body("code_challenge_methods_supported", hasItem("S256"))
                .body("id_token_signing_alg_values_supported", hasItem("ES256"));
    }

    @Test
    void untouchedTokenIsAccepted() {
        Api.as(token()).get("/v1/me").then().statusCode(200);
    }

    @Test
    void tokenWithAnyOneClaimAlteredIsRejected() {
        String token = token();
        Map<String, Object> alterations = Map.of(
                "sub", UUID.randomUUID().toString(),
                "org_id", UUID.randomUUID().toString(),
                "org", "someone-else",
                "roles", List.of("owner"),
                "exp", 4102444800L,
                "aud", "other-service",
                "iss", "https://evil.example.com",
                "sid", UUID.randomUUID().toString());
        alterations.forEach((claim, value) ->
                Api.as(withClaim(token, claim, value)).get("/v1/me").then()
                        .statusCode(401));
    }

    @Test
    void unsignedTokenIsRejected() {
        String[] parts = token().split("\\.");
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        Api.as(header + "." + parts[1] + ".").get("/v1/me").then().statusCode(401);
    }

    @Test
    void tokenSignedByAnotherKeyWithOurKidIsRejected() throws Exception {
        SignedJWT ours = SignedJWT.parse(token());
        ECKey attacker = new ECKeyGenerator(Curve.P_256).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ours.getHeader().getKeyID()).build(),
                ours.getJWTClaimsSet());
        forged.sign(new ECDSASigner(attacker));
        Api.as(forged.serialize()).get("/v1/me").then().statusCode(401);
    }

    @Test
    void garbageIsRejected() {
        Api.as("not-a-jwt").get("/v1/me").then().statusCode(401);
        Api.as("a.b.c").get("/v1/me").then().statusCode(401);
    }

    @Test
    void operatorTokenHasNoUser() {
        Api.operator().get("/v1/me").then().statusCode(403);
    }

    private static String token() {
        return Api.tokenOfNewUser("tok", "member");
    }

    /** The same token with one payload claim replaced and the original signature kept. */
    private static String withClaim(String token, String claim, Object value) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            Map<String, Object> payload = new java.util.HashMap<>(jwt.getJWTClaimsSet().toJSONObject());
            payload.put(claim, value);
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(payload);
            String[] parts = token.split("\\.");
            return parts[0] + "." + b64(json) + "." + parts[2];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
