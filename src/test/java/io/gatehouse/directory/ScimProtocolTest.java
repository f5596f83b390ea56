package io.gatehouse.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The request sequences Entra ID's and Okta's provisioning send, in the shapes of their published
 * documentation (fixture files, with their sources, in src/test/resources/scim), each answered and
 * stored right; and the negative cases, each wrong in exactly one way and changing nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScimProtocolTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Directory(String org, String domain, String token) {
        RequestSpecification scim() {
            return given().header("Authorization", "Bearer " + token).contentType("application/scim+json");
        }
    }

    private static Directory directory() {
        String domain = "prov-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String org = ScimClientTest.orgWithDomain(domain);
        return new Directory(org, domain, (String) ScimClientTest.newToken(org).get("token"));
    }

    private static String fill(String text, Map<String, String> values) {
        String out = text;
        for (var e : values.entrySet()) {
            out = out.replace("{" + e.getKey() + "}", e.getValue());
        }
        return out;
    }

    private void replay(String fixture) throws Exception {
        Directory d = directory();
        JsonNode steps;
        try (InputStream in = getClass().getResourceAsStream("/scim/" + fixture)) {
            steps = JSON.readTree(in).get("steps");
        }
        Map<String, String> values = new HashMap<>(Map.of("domain", d.domain()));
        for (JsonNode step : steps) {
            String name = step.get("name").asText();
            String path = "/scim/v2/" + d.org() + fill(step.get("path").asText(), values);
            RequestSpecification request = d.scim().urlEncodingEnabled(false);
            if (step.has("body")) {
                request.body(fill(step.get("body").toString(), values));
            }
            ExtractableResponse<Response> answer = request.request(step.get("method").asText(), path).then().extract();
            assertEquals(step.get("status").asInt(), answer.statusCode(), name + ": " + answer.asString());
            if (answer.statusCode() != 204) {
                assertTrue(answer.contentType().startsWith("application/scim+json"), name);
            }
            if (step.has("save")) {
                values.put(step.get("save").asText(), answer.path("id"));
            }
            if (step.has("expect")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = step.get("expect").fields(); it.hasNext(); ) {
                    var e = it.next();
                    Object got = answer.path(e.getKey());
                    Object want = e.getValue().isTextual() ? fill(e.getValue().asText(), values)
                            : e.getValue().isBoolean() ? e.getValue().asBoolean() : e.getValue().asInt();
                    assertEquals(want, got, name + ": " + e.getKey());
                }
            }
            if (step.has("db")) {
                for (Iterator<Map.Entry<String, JsonNode>> it = step.get("db").fields(); it.hasNext(); ) {
                    var e = it.next();
                    assertEquals(fill(e.getValue().asText(), values), Db.value("select " + e.getKey() + " from users where id = ?::uuid",
                            values.get("user")), name + ": users." + e.getKey());
                }
            }
            if (step.has("members")) {
                assertEquals(step.get("members").asLong(), Db.count("select count(*) from directory_group_members where group_id = ?::uuid",
                        values.get("group")), name + ": members");
            }
        }
    }

    @Test
    void entraIdsProvisioningSequence() throws Exception {
        replay("entra-provisioning.json");
    }

    @Test
    void oktasProvisioningSequence() throws Exception {
        replay("okta-provisioning.json");
    }

    private static void refused(Directory d, String method, String path, String body, int status, String scimType) {
        String before = Db.snapshot() + Db.column("select string_agg(g::text, '|') from directory_groups g");
        RequestSpecification request = d.scim();
        if (body != null) {
            request.body(body);
        }
        ExtractableResponse<Response> answer = request.request(method, "/scim/v2/" + d.org() + path).then().extract();
        assertEquals(status, answer.statusCode(), answer.asString());
        assertTrue(answer.contentType().startsWith("application/scim+json"), answer.contentType());
        assertEquals(String.valueOf(status), answer.path("status"));
        if (scimType != null) {
            assertEquals(scimType, answer.path("scimType"), answer.asString());
        }
        assertEquals(before, Db.snapshot() + Db.column("select string_agg(g::text, '|') from directory_groups g"), "nothing changed");
    }

    private static String user(String userName, String email) {
        return "{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"" + userName + "\",\"active\":true"
                + (email == null ? "" : ",\"emails\":[{\"value\":\"" + email + "\",\"type\":\"work\",\"primary\":true}]") + "}";
    }

    @Test
    void eachWrongRequestIsAScimErrorAndChangesNothing() {
        Directory d = directory();
        String id = d.scim().body(user("kept@" + d.domain(), "kept@" + d.domain())).post("/scim/v2/" + d.org() + "/Users")
                .then().statusCode(201).extract().path("id");
        refused(d, "GET", "/Users?filter=title+eq+%22boss%22", null, 400, "invalidFilter");
        refused(d, "GET", "/Users?filter=userName+eq", null, 400, "invalidFilter");
        refused(d, "PATCH", "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"path\":\"active\",\"value\":false}]}",
                400, "invalidSyntax");
        refused(d, "PATCH", "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"explode\",\"path\":\"active\"}]}",
                400, "invalidSyntax");
        refused(d, "PATCH", "/Users/" + id, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":\"maybe\"}]}",
                400, "invalidValue");
        refused(d, "POST", "/Users", "not json", 400, "invalidSyntax");
        refused(d, "POST", "/Users", user("mallory@" + d.domain(), "mallory@elsewhere.example"), 400, "invalidValue");
        refused(d, "POST", "/Users", user("mallory@elsewhere.example", null), 400, "invalidValue");
        // Another org's namespace: its company code, and "<its code>+…".
        String other = Api.createOrg("victim");
        refused(d, "POST", "/Users", user(other, null), 400, "invalidValue");
        refused(d, "POST", "/Users", user(other + "+ceo", null), 400, "invalidValue");
        refused(d, "POST", "/Users", user("kept@" + d.domain(), "kept@" + d.domain()), 409, "uniqueness");
        refused(d, "POST", "/Groups", "{\"displayName\":\"G\",\"members\":[{\"value\":\"" + UUID.randomUUID() + "\"}]}", 400, "invalidValue");
        refused(d, "GET", "/Users/" + UUID.randomUUID(), null, 404, null);
        // Another org's person is not found through this org's token.
        Directory e = directory();
        String theirs = e.scim().body(user("theirs@" + e.domain(), null)).post("/scim/v2/" + e.org() + "/Users").then().statusCode(201).extract().path("id");
        refused(d, "GET", "/Users/" + theirs, null, 404, null);
        refused(d, "PATCH", "/Users/" + theirs, "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"path\":\"active\",\"value\":false}]}",
                404, null);
        refused(d, "DELETE", "/Users/" + theirs, null, 404, null);
    }

    @Test
    void aJitPersonIsAdoptedNotDuplicated() {
        Directory d = directory();
        String username = "adopted@" + d.domain();
        String existing = operator().body(Map.of("username", username, "email", username, "password", Api.PASSWORD, "roles", List.of()))
                .post("/v1/orgs/" + d.org() + "/users").then().statusCode(201).extract().path("id");
        String id = d.scim().body(user(username, username)).post("/scim/v2/" + d.org() + "/Users").then().statusCode(201).extract().path("id");
        assertEquals(existing, id);
        assertEquals(1L, Db.count("select count(*) from users where lower(username) = lower(?)", username));
    }

    @Test
    void whereTheOrgChoosesADeleteDeletesThePerson() {
        Directory d = directory();
        operator().contentType("application/json").body(Map.of("scim_delete_users", true)).patch("/v1/orgs/" + d.org())
                .then().statusCode(200).body("scim_delete_users", org.hamcrest.Matchers.equalTo(true));
        String username = "leaver@" + d.domain();
        String id = d.scim().body(user(username, username)).post("/scim/v2/" + d.org() + "/Users").then().statusCode(201).extract().path("id");
        d.scim().delete("/scim/v2/" + d.org() + "/Users/" + id).then().statusCode(204);
        assertEquals(0L, Db.count("select count(*) from users where id = ?::uuid", id));
        d.scim().get("/scim/v2/" + d.org() + "/Users/" + id).then().statusCode(404);
        operator().get("/v1/orgs/" + d.org()).then().statusCode(200).body("directory_synced_at", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void listsPageAndFilterOnIndexedAndOtherAttributes() {
        Directory d = directory();
        for (String name : List.of("ann", "bob", "cy")) {
            d.scim().body("{\"userName\":\"" + name + "@" + d.domain() + "\",\"displayName\":\"" + name.toUpperCase() + "\",\"active\":"
                    + !name.equals("cy") + "}").post("/scim/v2/" + d.org() + "/Users").then().statusCode(201);
        }
        String base = "/scim/v2/" + d.org() + "/Users";
        d.scim().get(base + "?startIndex=2&count=1").then().statusCode(200).body("totalResults", org.hamcrest.Matchers.equalTo(3))
                .body("startIndex", org.hamcrest.Matchers.equalTo(2)).body("itemsPerPage", org.hamcrest.Matchers.equalTo(1))
                .body("Resources[0].userName", org.hamcrest.Matchers.equalTo("bob@" + d.domain()));
        d.scim().queryParam("filter", "displayName eq \"ANN\"").get(base).then().body("totalResults", org.hamcrest.Matchers.equalTo(1));
        d.scim().queryParam("filter", "active eq false").get(base).then().body("totalResults", org.hamcrest.Matchers.equalTo(1))
                .body("Resources[0].userName", org.hamcrest.Matchers.equalTo("cy@" + d.domain()));
        d.scim().queryParam("filter", "userName eq \"BOB@" + d.domain().toUpperCase() + "\"").get(base).then()
                .body("totalResults", org.hamcrest.Matchers.equalTo(1));
        d.scim().queryParam("filter", "userName sw \"a\" or userName sw \"c\"").get(base).then()
                .body("totalResults", org.hamcrest.Matchers.equalTo(2));
        d.scim().get(base + "?startIndex=9").then().body("totalResults", org.hamcrest.Matchers.equalTo(3))
                .body("Resources.size()", org.hamcrest.Matchers.equalTo(0));
    }
}
