package io.gatehouse.token;

import com.nimbusds.jwt.SignedJWT;
import io.gatehouse.testing.Api;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class SigningKeyRotationTest {

    private static String token() {
        return Api.tokenOfNewUser("rot", "admin");
    }

    @Test
    void rotationKeepsOldTokensValidAndPublishesBothKeys() throws Exception {
        String before = token();
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();
        String newKid = Api.operator().post("/v1/signing-keys/rotate").then().statusCode(200).extract().path("kid");
        assertNotEquals(oldKid, newKid);

        List<String> published = given().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys.kid");
        assertTrue(published.containsAll(List.of(oldKid, newKid)), published.toString());
        Api.as(before).get("/v1/me").then().statusCode(200);

        String after = token();
        assertEquals(newKid, SignedJWT.parse(after).getHeader().getKeyID());
        Api.as(after).get("/v1/me").then().statusCode(200);
    }

    @Test
    void onlyTheOperatorRotates() {
        Api.as(token()).post("/v1/signing-keys/rotate").then().statusCode(403);
    }
}
