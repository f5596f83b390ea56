package io.gatehouse.user;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class UserApiTest {

    @Test
    void adminCreatesAPasswordUserWithAModernHash() {
        String org = Api.createOrg("users");
        String admin = Api.adminOf(org);
        String username = Api.newCode("jane");
        String id = Api.as(admin).body(Map.of("username", username, "email", "Jane@Example.com",
                        "display_name", "Jane Doe", "password", Api.PASSWORD))
                .post("/v1/orgs/" + org + "/users")
                .then().statusCode(201)
                .body("username", equalTo(username))
                .body("email", equalTo("jane@example.com"))
                .body("roles", contains("member"))
                .body("auth_mode", equalTo("password"))
                .body("status", equalTo("active"))
                .body("$", not(hasKey("password")))
                .body("$", not(hasKey("password_hash")))
                .extract().path("id");
        String hash = (String) Db.value("select password_hash from users where id = ?::uuid", id);
        assertTrue(hash.startsWith("$argon2id$"), hash);
    }

    @Test
    void usernamesAreUniqueAcrossOrgsAndCase() {
        String a = Api.createOrg("ua");
        String b = Api.createOrg("ub");
        String username = Api.newCode("same");
        Api.createUser(a, username, "member");
        String before = Db.snapshot();
        operator().body(Map.of("username", username.toUpperCase(), "password", Api.PASSWORD))
                .post("/v1/orgs/" + b + "/users").then().statusCode(409);
        assertEquals(before, Db.snapshot());
    }

    @Test
    void emailAndDisplayNameAreRemovedByGivingThemAsNull() {
        String org = Api.createOrg("unname");
        String id = operator().body(Map.of("username", Api.newCode("u"), "password", Api.PASSWORD, "email", "pat@example.com",
                        "display_name", "Pat"))
                .post("/v1/orgs/" + org + "/users").then().statusCode(201).extract().path("id");
        operator().body("{\"email\": null, \"display_name\": null, \"roles\": [\"member\", \"dispatcher\"]}")
                .patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(200)
                .body("$", not(hasKey("email")))
                .body("$", not(hasKey("display_name")))
                .body("roles", contains("member", "dispatcher"));
        assertEquals(0, Db.count("select count(*) from users where id = ?::uuid and (email is not null or display_name is not null)", id));
    }

    @Test
    void otherFieldsGivenAsNullAreRefusedAndChangeNothing() {
        String org = Api.createOrg("unrole");
        String id = Api.createUser(org, Api.newCode("u"), "member");
        String before = Db.snapshot();
        operator().body("{\"roles\": null}").patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(400).body("errors.field", contains("roles"))
                .body("errors.message", contains("cannot be removed; give a new value instead"));
        operator().body("{\"display_name\": \"" + "x".repeat(201) + "\"}").patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(400).body("errors.field", contains("display_name"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void shortPasswordIsAFieldError() {
        assertRejected(Map.of("username", Api.newCode("u"), "password", "short"), "password");
    }

    @Test
    void missingPasswordIsAFieldError() {
        assertRejected(Map.of("username", Api.newCode("u")), "password");
    }

    @Test
    void badUsernameIsAFieldError() {
        assertRejected(Map.of("username", "jane doe", "password", Api.PASSWORD), "username");
    }

    @Test
    void badEmailIsAFieldError() {
        assertRejected(Map.of("username", Api.newCode("u"), "password", Api.PASSWORD, "email", "jane@"), "email");
    }

    @Test
    void badRoleIsAFieldError() {
        assertRejected(Map.of("username", Api.newCode("u"), "password", Api.PASSWORD, "roles", List.of("Super Admin")), "roles[0]");
    }

    @Test
    void listPagesAndSearches() {
        String org = Api.createOrg("paging");
        Api.createUser(org, "alice-" + org, "member");
        Api.createUser(org, "bob-" + org, "member");
        Api.createUser(org, "carol-" + org, "member");
        String next = operator().queryParam("limit", 2).get("/v1/orgs/" + org + "/users")
                .then().statusCode(200).body("data", hasSize(2)).body("data[0].username", equalTo("alice-" + org))
                .body("next_cursor", notNullValue()).extract().path("next_cursor");
        operator().queryParam("limit", 2).queryParam("after", next).get("/v1/orgs/" + org + "/users")
                .then().statusCode(200).body("data", hasSize(1)).body("data[0].username", equalTo("carol-" + org))
                .body("next_cursor", nullValue());
        operator().queryParam("q", "BOB").get("/v1/orgs/" + org + "/users")
                .then().statusCode(200).body("data", hasSize(1)).body("data[0].username", equalTo("bob-" + org));
        operator().queryParam("q", "%").get("/v1/orgs/" + org + "/users").then().statusCode(200).body("data", hasSize(0));
        operator().queryParam("limit", 0).get("/v1/orgs/" + org + "/users").then().statusCode(400)
                .body("errors.field", contains("limit"));
    }

    @Test
    void adminElevatesAndDisablesAMember() {
        String org = Api.createOrg("roles");
        String admin = Api.adminOf(org);
        String id = Api.createUser(org, Api.newCode("m"), "member");
        Api.as(admin).body(Map.of("roles", List.of("admin", "dispatcher"))).patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(200).body("roles", contains("admin", "dispatcher"));
        Api.as(admin).body(Map.of("status", "disabled")).patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(200).body("status", equalTo("disabled"));
    }

    @Test
    void onlyAnOwnerGrantsOwner() {
        String org = Api.createOrg("owner");
        String admin = Api.adminOf(org);
        String id = Api.createUser(org, Api.newCode("m"), "member");
        String before = Db.snapshot();
        Api.as(admin).body(Map.of("roles", List.of("owner"))).patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(403);
        assertEquals(before, Db.snapshot());
        String ownerName = Api.newCode("own");
        Api.createUser(org, ownerName, "owner");
        Api.as(Api.login(ownerName)).body(Map.of("roles", List.of("owner"))).patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(200).body("roles", contains("owner"));
    }

    @Test
    void adminCannotLockThemselvesOut() {
        String org = Api.createOrg("self");
        String username = Api.newCode("me");
        String id = Api.createUser(org, username, "admin");
        String token = Api.login(username);
        String before = Db.snapshot();
        Api.as(token).body(Map.of("roles", List.of("member"))).patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(422).body("type", equalTo("urn:gatehouse:problem:self-lockout"));
        Api.as(token).body(Map.of("status", "disabled")).patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(422);
        assertEquals(before, Db.snapshot());
    }

    @Test
    void invalidStatusIsAFieldError() {
        String org = Api.createOrg("status");
        String id = Api.createUser(org, Api.newCode("m"), "member");
        String before = Db.snapshot();
        operator().body(Map.of("status", "deleted")).patch("/v1/orgs/" + org + "/users/" + id)
                .then().statusCode(400).body("errors.field", contains("status"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void conversionNeedsAnEnabledConnection() {
        String org = Api.createOrg("conv0");
        String id = Api.createUser(org, Api.newCode("m"), "member");
        String before = Db.snapshot();
        operator().post("/v1/orgs/" + org + "/users/" + id + "/convert-to-sso")
                .then().statusCode(422).body("type", equalTo("urn:gatehouse:problem:no-sso-connection"));
        operator().post("/v1/orgs/" + org + "/users/convert-to-sso").then().statusCode(422);
        assertEquals(before, Db.snapshot());
    }

    @Test
    void convertingOneUserEndsTheirPassword() {
        String org = Api.createOrg("conv1");
        Api.createAzureConnection(org, "s");
        String username = Api.newCode("m");
        String id = Api.createUser(org, username, "member");
        operator().post("/v1/orgs/" + org + "/users/" + id + "/convert-to-sso")
                .then().statusCode(200).body("auth_mode", equalTo("sso")).body("converted_to_sso_at", notNullValue());
        assertEquals(null, Db.value("select password_hash from users where id = ?::uuid", id));
        operator().post("/v1/orgs/" + org + "/users/" + id + "/convert-to-sso").then().statusCode(409);
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", Api.PASSWORD))
                .post("/v1/login").then().statusCode(403).body("type", equalTo("urn:gatehouse:problem:sso-required"));
    }

    @Test
    void convertingAllUsersOfTheOrgOnly() {
        String org = Api.createOrg("convall");
        String other = Api.createOrg("convother");
        Api.createAzureConnection(org, "s");
        Api.createUser(org, Api.newCode("a"), "member");
        Api.createUser(org, Api.newCode("b"), "member");
        String outsider = Api.createUser(other, Api.newCode("c"), "member");
        operator().post("/v1/orgs/" + org + "/users/convert-to-sso").then().statusCode(200).body("converted", equalTo(2));
        assertEquals(0, Db.count("select count(*) from users u join orgs o on o.id = u.org_id where o.code = ? and auth_mode = 'password'", org));
        assertEquals("password", Db.value("select auth_mode from users where id = ?::uuid", outsider));
    }

    @Test
    void unknownUserIsNotFound() {
        String org = Api.createOrg("nouser");
        operator().get("/v1/orgs/" + org + "/users/" + UUID.randomUUID()).then().statusCode(404);
        operator().body(Map.of("status", "disabled")).patch("/v1/orgs/" + org + "/users/" + UUID.randomUUID()).then().statusCode(404);
    }

    private static void assertRejected(Map<String, Object> body, String field) {
        String org = Api.createOrg("urej");
        String before = Db.snapshot();
        operator().body(body).post("/v1/orgs/" + org + "/users")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(field));
        assertEquals(before, Db.snapshot());
    }
}
