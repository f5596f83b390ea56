package io.gatehouse.org;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** An admin of org A reads, changes, lists and deletes nothing of org B, by code, by id and by guessing ids. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class TenantIsolationTest {

    private String orgA;
    private String orgB;
    private String orgBId;
    private String adminA;
    private String connectionB;
    private String userB;

    @BeforeEach
    void twoOrgs() {
        orgA = Api.createOrg("tenant-a");
        orgB = Api.createOrg("tenant-b");
        orgBId = Api.operator().get("/v1/orgs/" + orgB).then().extract().path("id");
        adminA = Api.adminOf(orgA);
        connectionB = Api.createAzureConnection(orgB, "b-secret");
        userB = Api.createUser(orgB, Api.newCode("victim"), "admin");
    }

    @Test
    void otherOrgIsNotFoundByCodeOrId() {
        String before = Db.snapshot();
        String missing = Api.as(adminA).get("/v1/orgs/no-such-org").then().statusCode(404).extract().asString();
        for (String ref : List.of(orgB, orgBId)) {
            assertEquals(missing, Api.as(adminA).get("/v1/orgs/" + ref).then().statusCode(404).extract().asString());
            Api.as(adminA).body(Map.of("name", "pwned")).patch("/v1/orgs/" + ref).then().statusCode(404);
            Api.as(adminA).get("/v1/orgs/" + ref + "/sso").then().statusCode(404);
            Api.as(adminA).get("/v1/orgs/" + ref + "/connections").then().statusCode(404);
            Api.as(adminA).body(Map.of("type", "saml")).post("/v1/orgs/" + ref + "/connections").then().statusCode(404);
            Api.as(adminA).get("/v1/orgs/" + ref + "/users").then().statusCode(404);
            Api.as(adminA).body(Map.of("username", Api.newCode("x"), "password", Api.PASSWORD))
                    .post("/v1/orgs/" + ref + "/users").then().statusCode(404);
            Api.as(adminA).post("/v1/orgs/" + ref + "/users/convert-to-sso").then().statusCode(404);
            Api.as(adminA).get("/v1/orgs/" + ref + "/login-attempts").then().statusCode(404);
        }
        assertEquals(before, Db.snapshot());
    }

    @Test
    void otherOrgsConnectionIsNotFoundThroughOwnOrg() {
        String before = Db.snapshot();
        String path = "/v1/orgs/" + orgA + "/connections/" + connectionB;
        Api.as(adminA).get(path).then().statusCode(404);
        Api.as(adminA).body(Map.of("enabled", false)).patch(path).then().statusCode(404);
        Api.as(adminA).delete(path).then().statusCode(404);
        Api.as(adminA).get("/v1/orgs/" + orgA + "/connections").then().statusCode(200).body(not(containsString(connectionB)));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void otherOrgsUserIsNotFoundThroughOwnOrg() {
        String before = Db.snapshot();
        String path = "/v1/orgs/" + orgA + "/users/" + userB;
        Api.as(adminA).get(path).then().statusCode(404);
        Api.as(adminA).body(Map.of("status", "disabled")).patch(path).then().statusCode(404);
        Api.as(adminA).post(path + "/convert-to-sso").then().statusCode(404);
        Api.as(adminA).get("/v1/orgs/" + orgA + "/users").then().statusCode(200).body(not(containsString(userB)));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void ownOrgStaysReachable() {
        Api.as(adminA).get("/v1/orgs/" + orgA).then().statusCode(200);
        Api.as(adminA).get("/v1/orgs/" + orgA + "/users").then().statusCode(200);
    }
}
