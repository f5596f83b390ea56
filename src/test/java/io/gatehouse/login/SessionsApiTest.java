package io.gatehouse.login;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.as;
import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A person's sessions: seen and ended by them, or all ended by their org's admin; at once. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SessionsApiTest {

    private static String sid(String token) {
        return as(token).get("/v1/me").then().statusCode(200).extract().path("session_id");
    }

    @Test
    void aPersonSeesTheirSessionsAndEndsOneOfThem() {
        String org = Api.createOrg("mysess");
        String username = Api.newCode("p");
        Api.createUser(org, username, "member");
        String laptop = Api.login(username);
        String phone = Api.login(username);
        as(laptop).get("/v1/me/sessions").then().statusCode(200).body("", hasSize(2))
                .body("id", containsInAnyOrder(sid(laptop), sid(phone)))
                .body("find { it.id == '" + sid(laptop) + "' }.current", equalTo(true))
                .body("find { it.id == '" + sid(phone) + "' }.amr", equalTo("pwd"));
        as(laptop).delete("/v1/me/sessions/" + sid(phone)).then().statusCode(204);
        as(phone).get("/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + phone).get("/v1/auth/verify").then().statusCode(401);
        as(laptop).get("/v1/me/sessions").then().statusCode(200).body("", hasSize(1));
        as(laptop).delete("/v1/me/sessions").then().statusCode(200).body("revoked", equalTo(1));
        as(laptop).get("/v1/me").then().statusCode(401);
    }

    @Test
    void anotherPersonsSessionCannotBeEndedAndNothingChanges() {
        String org = Api.createOrg("othersess");
        String a = Api.newCode("a");
        String b = Api.newCode("b");
        Api.createUser(org, a, "member");
        Api.createUser(org, b, "member");
        String tokenA = Api.login(a);
        String tokenB = Api.login(b);
        String before = Db.snapshot();
        as(tokenA).delete("/v1/me/sessions/" + sid(tokenB)).then().statusCode(404);
        as(tokenA).delete("/v1/me/sessions/" + java.util.UUID.randomUUID()).then().statusCode(404);
        given().delete("/v1/me/sessions").then().statusCode(401);
        operator().get("/v1/me/sessions").then().statusCode(403);
        assertEquals(before, Db.snapshot());
        as(tokenB).get("/v1/me").then().statusCode(200);
    }

    @Test
    void anAdminSignsAPersonOutEverywhereOnlyInTheirOwnOrg() {
        String org = Api.createOrg("signout");
        String username = Api.newCode("p");
        String id = Api.createUser(org, username, "member");
        List<String> tokens = List.of(Api.login(username), Api.login(username));
        String outsider = Api.adminOf(Api.createOrg("signoutother"));
        String memberName = Api.newCode("m");
        Api.createUser(org, memberName, "member");
        String member = Api.login(memberName);
        String before = Db.snapshot();
        as(outsider).post("/v1/orgs/" + org + "/users/" + id + "/sessions/revoke").then().statusCode(404);
        as(member).post("/v1/orgs/" + org + "/users/" + id + "/sessions/revoke").then().statusCode(403);
        assertEquals(before, Db.snapshot());
        as(Api.adminOf(org)).post("/v1/orgs/" + org + "/users/" + id + "/sessions/revoke").then().statusCode(200)
                .body("revoked", equalTo(2));
        tokens.forEach(t -> as(t).get("/v1/me").then().statusCode(401));
        as(member).get("/v1/me").then().statusCode(200);
    }

    @Test
    void enforcingSsoEndsThePasswordSessionsOfTheOrgAtOnce() {
        String org = Api.createOrg("enforce");
        String username = Api.newCode("p");
        Api.createUser(org, username, "member");
        String token = Api.login(username);
        Api.createAzureConnection(org, "s");
        operator().body(Map.of("sso_enforced", true)).patch("/v1/orgs/" + org).then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/v1/auth/verify").then().statusCode(401);
    }
}
