package io.gatehouse.org;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class OrgApiTest {

    @Test
    void operatorCreatesAnOrgAndReadsItByCodeAndId() {
        String code = Api.newCode("acme");
        String id = operator().body(Map.of("code", code, "name", "Acme Inc.", "domains", List.of(code + ".com")))
                .post("/v1/orgs")
                .then().statusCode(201)
                .header("Location", "http://localhost:8080/v1/orgs/" + code)
                .body("code", equalTo(code))
                .body("name", equalTo("Acme Inc."))
                .body("domains", contains(code + ".com"))
                .body("sso_enforced", equalTo(false))
                .body("jit_default_role", equalTo("member"))
                .extract().path("id");
        operator().get("/v1/orgs/" + code).then().statusCode(200).body("id", equalTo(id));
        operator().get("/v1/orgs/" + id).then().statusCode(200).body("code", equalTo(code));
    }

    @Test
    void adminChangesTheirOrg() {
        String code = Api.createOrg("patch");
        String admin = Api.adminOf(code);
        Api.as(admin).body(Map.of("name", "Renamed", "sso_enforced", true, "jit_default_role", "worker",
                        "allowed_return_urls", List.of("https://app.example.com/")))
                .patch("/v1/orgs/" + code)
                .then().statusCode(200)
                .body("name", equalTo("Renamed"))
                .body("sso_enforced", equalTo(true))
                .body("jit_default_role", equalTo("worker"))
                .body("allowed_return_urls", contains("https://app.example.com/"));
    }

    @Test
    void operatorListsOrgsPageByPage() {
        Api.createOrg("list");
        Api.createOrg("list");
        String next = operator().queryParam("limit", 1).get("/v1/orgs")
                .then().statusCode(200).body("data", hasSize(1)).body("next_cursor", notNullValue())
                .extract().path("next_cursor");
        operator().queryParam("limit", 1).queryParam("after", next).get("/v1/orgs")
                .then().statusCode(200).body("data", hasSize(1));
    }

    @Test
    void duplicateCodeIsAConflict() {
        String code = Api.createOrg("dup");
        String before = Db.snapshot();
        operator().body(Map.of("code", code, "name", "Again")).post("/v1/orgs")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:conflict"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void domainOfAnotherOrgIsAConflict() {
        String taken = Api.newCode("taken") + ".com";
        operator().body(Map.of("code", Api.newCode("owner"), "name", "Owner", "domains", List.of(taken)))
                .post("/v1/orgs").then().statusCode(201);
        String before = Db.snapshot();
        operator().body(Map.of("code", Api.newCode("other"), "name", "Other", "domains", List.of(taken)))
                .post("/v1/orgs").then().statusCode(409);
        assertEquals(before, Db.snapshot());
    }

    @Test
    void invalidCodeIsAFieldError() {
        assertRejected(Map.of("code", "Acme Inc!", "name", "Acme"), "code");
    }

    @Test
    void missingCodeIsAFieldError() {
        assertRejected(Map.of("name", "Acme"), "code");
    }

    @Test
    void missingNameIsAFieldError() {
        assertRejected(Map.of("code", Api.newCode("noname")), "name");
    }

    @Test
    void invalidDomainIsAFieldError() {
        assertRejected(Map.of("code", Api.newCode("dom"), "name", "Acme", "domains", List.of("not a domain")), "domains[0]");
    }

    @Test
    void adminAsDefaultJitRoleIsRefused() {
        assertRejected(Map.of("code", Api.newCode("jit"), "name", "Acme", "jit_default_role", "admin"), "jit_default_role");
    }

    @Test
    void returnUrlMustBeAbsolute() {
        assertRejected(Map.of("code", Api.newCode("ret"), "name", "Acme", "allowed_return_urls", List.of("/relative")),
                "allowed_return_urls[0]");
    }

    @Test
    void unknownFieldIsAFieldError() {
        assertRejected(Map.of("code", Api.newCode("unk"), "name", "Acme", "sso_enforcd", true), "sso_enforcd");
    }

    @Test
    void wrongTypedFieldIsAFieldError() {
        assertRejected(Map.of("code", Api.newCode("typ"), "name", "Acme", "sso_enforced", "yes"), "sso_enforced");
    }

    @Test
    void malformedJsonIsABadRequest() {
        String before = Db.snapshot();
        operator().body("{\"code\": \"x\",").post("/v1/orgs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:bad-request"))
                .body("detail", equalTo("The request body is not well-formed JSON."));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void missingBodyIsAFieldError() {
        operator().post("/v1/orgs").then().statusCode(400).body("errors.field", contains("body"));
    }

    @Test
    void oversizedBodyIsRefusedBeforeItIsRead() {
        String before = Db.snapshot();
        String name = "x".repeat(1024 * 1024 + 1);
        operator().body(Map.of("code", Api.newCode("big"), "name", name)).post("/v1/orgs")
                .then().statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:body-too-large"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void codeCannotChange() {
        String code = Api.createOrg("immutable");
        String before = Db.snapshot();
        operator().body(Map.of("code", Api.newCode("new"))).patch("/v1/orgs/" + code)
                .then().statusCode(400).body("errors.field", contains("code"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void aFieldGivenAsNullIsRefusedAndChangesNothing() {
        String code = Api.createOrg("nonull");
        String before = Db.snapshot();
        operator().body("{\"name\": null, \"sso_enforced\": true}").patch("/v1/orgs/" + code)
                .then().statusCode(400).body("errors.field", contains("name"))
                .body("errors.message", contains("cannot be removed; give a new value instead"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void onlyTheOperatorCreatesOrgs() {
        String admin = Api.adminOf(Api.createOrg("notop"));
        String before = Db.snapshot();
        Api.as(admin).body(Map.of("code", Api.newCode("mine"), "name", "Mine")).post("/v1/orgs")
                .then().statusCode(403).contentType("application/problem+json");
        assertEquals(before, Db.snapshot());
    }

    @Test
    void onlyTheOperatorSetsDomains() {
        String code = Api.createOrg("doms");
        String admin = Api.adminOf(code);
        String before = Db.snapshot();
        Api.as(admin).body(Map.of("domains", List.of("stolen.example"))).patch("/v1/orgs/" + code)
                .then().statusCode(403);
        assertEquals(before, Db.snapshot());
    }

    @Test
    void membersMayNotManageTheirOrg() {
        String code = Api.createOrg("member");
        String username = Api.newCode("mem");
        Api.createUser(code, username, "member");
        String member = Api.login(username);
        Api.as(member).get("/v1/orgs/" + code).then().statusCode(403);
        Api.as(member).get("/v1/orgs/" + code + "/sso").then().statusCode(403);
    }

    @Test
    void noTokenIsUnauthorized() {
        given().get("/v1/orgs/anything").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json");
    }

    @Test
    void wrongAdminTokenIsUnauthorized() {
        Api.as("gatehouse-test-admin-tokem").get("/v1/orgs").then().statusCode(401);
    }

    @Test
    void notABearerSchemeIsUnauthorized() {
        given().header("Authorization", "Basic Z2F0ZWhvdXNlOnBhc3N3b3Jk").get("/v1/orgs").then().statusCode(401);
    }

    @Test
    void unknownOrgIsNotFound() {
        operator().get("/v1/orgs/no-such-org").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void errorsNeverCarryExceptionNames() {
        operator().contentType(ContentType.JSON).body("{\"code\": [1, 2").post("/v1/orgs")
                .then().statusCode(400).body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Exception")));
    }

    private static void assertRejected(Map<String, Object> body, String field) {
        String before = Db.snapshot();
        operator().body(body).post("/v1/orgs")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:gatehouse:problem:validation"))
                .body("errors.field", hasItem(field));
        assertEquals(before, Db.snapshot());
    }
}
