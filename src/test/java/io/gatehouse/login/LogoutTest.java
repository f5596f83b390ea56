package io.gatehouse.login;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class LogoutTest {

    private static String token() {
        return Api.tokenOfNewUser("logout", "member");
    }

    @Test
    void bearerLogoutEndsTheSessionAndClearsTheCookie() {
        String token = token();
        Api.as(token).get("/v1/me").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).post("/v1/logout")
                .then().statusCode(204)
                .header("Set-Cookie", allOf(containsString("gatehouse_session=;"), containsString("Max-Age=0"),
                        containsString("HttpOnly"), containsString("Secure"), containsString("SameSite=Lax")));
        Api.as(token).get("/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void cookieLogoutEndsTheSession() {
        String token = token();
        given().cookie("gatehouse_session", token).post("/v1/logout").then().statusCode(204);
        given().cookie("gatehouse_session", token).get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void logoutWithoutASessionStillClearsTheCookie() {
        given().post("/v1/logout").then().statusCode(204).header("Set-Cookie", containsString("Max-Age=0"));
    }
}
