package io.gatehouse.directory;

import com.fasterxml.jackson.jakarta.rs.json.JacksonJsonProvider;
import com.unboundid.scim2.client.ScimService;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.messages.ListResponse;
import com.unboundid.scim2.common.messages.PatchOperation;
import com.unboundid.scim2.common.types.Email;
import com.unboundid.scim2.common.types.GroupResource;
import com.unboundid.scim2.common.types.Member;
import com.unboundid.scim2.common.types.Name;
import com.unboundid.scim2.common.types.UserResource;
import com.unboundid.scim2.common.utils.JsonUtils;
import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole user and group lifecycle driven by a real SCIM client (UnboundID's scim2-sdk-client over
 * Jersey) against the running service, checked in the database; deprovisioning signs the person out.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScimClientTest {

    private Client client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    /** An org with a verified domain; returns its code. */
    static String orgWithDomain(String domain) {
        String org = Api.createOrg("scim");
        Db.execute("insert into org_domains (domain, org_id) select ?, id from orgs where code = ?", domain, org);
        return org;
    }

    static Map<String, Object> newToken(String org) {
        return operator().body(Map.of("name", "Entra ID provisioning")).post("/v1/orgs/" + org + "/directory/tokens")
                .then().statusCode(201).extract().as(Map.class);
    }

    private ScimService scim(String org, String token) {
        // Java's own HTTP client underneath (HttpURLConnection cannot send PATCH).
        client = ClientBuilder.newClient(new org.glassfish.jersey.client.ClientConfig()
                        .connectorProvider(new org.glassfish.jersey.jnh.connector.JavaNetHttpConnectorProvider()))
                .register(new JacksonJsonProvider(JsonUtils.createObjectMapper()))
                .register((jakarta.ws.rs.client.ClientRequestFilter) ctx -> ctx.getHeaders().putSingle("Authorization", "Bearer " + token));
        return new ScimService(client.target("http://localhost:" + RestAssured.port + "/scim/v2/" + org));
    }

    @Test
    void aPersonAndTheirGroupLiveAndAreDeprovisionedThroughARealScimClient() throws Exception {
        String domain = "scim-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String org = orgWithDomain(domain);
        Map<String, Object> token = newToken(org);
        assertEquals("http://localhost:8080/scim/v2/" + org, token.get("scim_base_url"));
        ScimService scim = scim(org, (String) token.get("token"));

        UserResource jane = new UserResource().setUserName("jane@" + domain)
                .setName(new Name().setGivenName("Jane").setFamilyName("Doe"))
                .setEmails(List.of(new Email().setValue("jane@" + domain).setType("work").setPrimary(true)));
        jane.setExternalId("ext-jane");
        jane.setActive(true);
        UserResource created = scim.create("Users", jane);
        String id = created.getId();
        assertEquals("Jane Doe", created.getDisplayName());
        assertEquals("sso", Db.value("select auth_mode from users where id = ?::uuid", id));
        assertEquals("ext-jane", Db.value("select external_id from users where id = ?::uuid", id));

        ListResponse<UserResource> found = scim.searchRequest("Users").filter("userName eq \"jane@" + domain + "\"")
                .invoke(UserResource.class);
        assertEquals(1, found.getTotalResults());
        assertEquals(id, found.getResources().getFirst().getId());
        assertEquals(0, scim.searchRequest("Users").filter("externalId eq \"nobody\"").invoke(UserResource.class).getTotalResults());
        assertEquals(1, scim.searchRequest("Users").filter("emails[type eq \"work\"].value eq \"jane@" + domain + "\"")
                .invoke(UserResource.class).getTotalResults());

        UserResource renamed = scim.modifyRequest("Users", id).replaceValue("displayName", "Jane Q. Doe").invoke(UserResource.class);
        assertEquals("Jane Q. Doe", renamed.getDisplayName());

        GroupResource group = scim.create("Groups", new GroupResource().setDisplayName("Engineering")
                .setMembers(List.of(new Member().setValue(id))));
        assertEquals(1L, Db.count("select count(*) from directory_group_members where user_id = ?::uuid", id));
        operator().contentType(ContentType.JSON).body(Map.of("mappings", List.of(Map.of("group", "Engineering", "roles", List.of("developer")))))
                .put("/v1/orgs/" + org + "/role-mappings").then().statusCode(200);
        assertEquals("{developer}", Db.value("select group_roles::text from users where id = ?::uuid", id));

        scim.modifyRequest("Groups", group.getId()).removeValues("members[value eq \"" + id + "\"]").invoke(GroupResource.class);
        assertEquals("{}", Db.value("select group_roles::text from users where id = ?::uuid", id));

        // Deprovisioned: disabled, and kept; GET still shows them inactive.
        UserResource off = scim.modifyRequest("Users", id).replaceValue("active", false).invoke(UserResource.class);
        assertFalse(off.getActive());
        assertEquals("disabled", Db.value("select status from users where id = ?::uuid", id));
        scim.modifyRequest("Users", id).replaceValue("active", true).invoke(UserResource.class);
        assertEquals("active", Db.value("select status from users where id = ?::uuid", id));

        scim.delete("Users", id);
        ScimException gone = assertThrows(ScimException.class, () -> scim.retrieve("Users", id, UserResource.class));
        assertEquals(404, gone.getScimError().getStatus());
        assertEquals("disabled", Db.value("select status from users where id = ?::uuid", id));
        assertNull(Db.value("select provisioned_at from users where id = ?::uuid", id));
        scim.delete("Groups", group.getId());
        assertEquals(0L, Db.count("select count(*) from directory_groups where id = ?::uuid", group.getId()));
    }

    @Test
    void anotherOrgsTokenAndARevokedTokenAreRefused() {
        String a = orgWithDomain("a-" + UUID.randomUUID().toString().substring(0, 8) + ".example");
        String b = orgWithDomain("b-" + UUID.randomUUID().toString().substring(0, 8) + ".example");
        String tokenOfA = (String) newToken(a).get("token");
        given().header("Authorization", "Bearer " + tokenOfA).get("/scim/v2/" + b + "/Users").then().statusCode(401)
                .contentType("application/scim+json").body("schemas[0]", org.hamcrest.Matchers.equalTo(Scim.ERROR_SCHEMA));
        given().header("Authorization", "Bearer " + tokenOfA).get("/scim/v2/" + a + "/Users").then().statusCode(200);
        Map<String, Object> second = newToken(a);
        operator().delete("/v1/orgs/" + a + "/directory/tokens/" + second.get("id")).then().statusCode(204);
        given().header("Authorization", "Bearer " + second.get("token")).get("/scim/v2/" + a + "/Users").then().statusCode(401);
        // Listed without secrets, with when each was last used.
        List<Map<String, Object>> listed = operator().get("/v1/orgs/" + a + "/directory/tokens").then().statusCode(200).extract().jsonPath().getList("$");
        assertEquals(2, listed.size());
        assertTrue(listed.stream().noneMatch(t -> t.containsKey("token")));
        assertTrue(listed.stream().anyMatch(t -> t.get("last_used_at") != null && t.get("revoked_at") == null));
        // The SCIM token is no token of the admin API.
        given().header("Authorization", "Bearer " + tokenOfA).get("/v1/orgs/" + a).then().statusCode(401);
    }
}
