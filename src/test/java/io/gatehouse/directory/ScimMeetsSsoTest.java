package io.gatehouse.directory;

import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestSamlIdp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A provisioned person signs in through the org's SSO as themselves (never a duplicate); the groups
 * of their sign-in give the mapped roles; deprovisioned, their cookie is refused at once and a new
 * sign-in is refused as user_deprovisioned; reactivated, they sign in again.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ScimMeetsSsoTest {

    private final TestSamlIdp idp = new TestSamlIdp("https://idp.scim.example/" + UUID.randomUUID());

    private static ExtractableResponse<Response> signIn(TestSamlIdp idp, String org, String email, List<String> groups) {
        String sp = "http://localhost:8080/v1/saml/" + org;
        String response = idp.response(sp, sp + "/acs").with(r -> {
            r.nameId = email;
            r.attributes.put("email", List.of(email));
            r.attributes.put("groups", groups);
        }).base64();
        return given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("SAMLResponse", response).post("/v1/saml/" + org + "/acs").then().extract();
    }

    @Test
    void provisionedPeopleSignInAsThemselvesAndDeprovisioningSignsThemOut() {
        String domain = "meet-" + UUID.randomUUID().toString().substring(0, 8) + ".example";
        String org = ScimClientTest.orgWithDomain(domain);
        operator().body(Map.of("type", "saml", "metadata_xml", idp.metadata("https://idp.scim.example/sso")))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        operator().contentType("application/json").body(Map.of("mappings", List.of(Map.of("group", "App-Admins", "roles", List.of("admin")))))
                .put("/v1/orgs/" + org + "/role-mappings").then().statusCode(200);
        String token = (String) ScimClientTest.newToken(org).get("token");
        String email = "jane@" + domain;
        String id = given().header("Authorization", "Bearer " + token).contentType("application/scim+json")
                .body("{\"userName\":\"" + email + "\",\"externalId\":\"ext-1\",\"emails\":[{\"value\":\"" + email + "\",\"primary\":true}],\"active\":true}")
                .post("/scim/v2/" + org + "/Users").then().statusCode(201).extract().path("id");

        ExtractableResponse<Response> first = signIn(idp, org, email, List.of("App-Admins"));
        assertEquals(303, first.statusCode(), first.asString());
        String cookie = first.cookie("gatehouse_session");
        assertNotNull(cookie);
        assertEquals(1L, Db.count("select count(*) from users u join orgs o on o.id = u.org_id where o.code = ?", org), "no duplicate");
        assertEquals(1L, Db.count("select count(*) from identity_links where user_id = ?::uuid", id), "linked to the provisioned person");
        given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-User-Id", id).header("X-Auth-Roles", Matchers.containsString("admin"));
        // Without the group, the mapped role is gone at the next sign-in; the roles given by hand stay.
        ExtractableResponse<Response> plain = signIn(idp, org, email, List.of());
        assertEquals("{}", Db.value("select group_roles::text from users where id = ?::uuid", id));
        String plainCookie = plain.cookie("gatehouse_session");
        given().cookie("gatehouse_session", plainCookie).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Roles", Matchers.not(Matchers.containsString("admin")));

        given().header("Authorization", "Bearer " + token).contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}")
                .patch("/scim/v2/" + org + "/Users/" + id).then().statusCode(200);
        given().cookie("gatehouse_session", plainCookie).get("/v1/auth/verify").then().statusCode(401);
        assertEquals(0L, Db.count("select count(*) from sessions where user_id = ?::uuid and revoked_at is null", id), "every session revoked");
        ExtractableResponse<Response> refused = signIn(idp, org, email, List.of());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.asString().contains("removed from this application"), refused.asString());
        assertEquals("user_deprovisioned", Db.value("select reason from login_attempts where user_id = ?::uuid order by seq desc limit 1", id));

        given().header("Authorization", "Bearer " + token).contentType("application/scim+json")
                .body("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"replace\",\"value\":{\"active\":true}}]}")
                .patch("/scim/v2/" + org + "/Users/" + id).then().statusCode(200);
        assertEquals(303, signIn(idp, org, email, List.of()).statusCode(), "reactivated");
    }

    @Test
    void anOidcSignInWhoseGroupsWereLeftOutIsRefusedWhereGroupsGiveRoles() throws Exception {
        no.nav.security.mock.oauth2.MockOAuth2Server oidc = new no.nav.security.mock.oauth2.MockOAuth2Server();
        oidc.start();
        try {
            String issuer = "overage-" + UUID.randomUUID();
            String org = io.gatehouse.testing.Api.createOrg("overage");
            operator().body(Map.of("type", "oidc", "issuer", oidc.issuerUrl(issuer).toString(), "client_id", "gatehouse-" + org,
                    "client_secret", "s")).post("/v1/orgs/" + org + "/connections").then().statusCode(201);
            Map<String, Object> overage = Map.of("email", "many-groups@overage.example", "_claim_names", Map.of("groups", "src1"),
                    "_claim_sources", Map.of("src1", Map.of("endpoint", "https://graph.microsoft.com/v1.0/users/x/getMemberObjects")));
            String base = "http://localhost:" + io.restassured.RestAssured.port;
            // No mappings: the groups do not matter, the sign-in goes through.
            oidc.enqueueCallback(new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(issuer, "s-1", "JWT", null, overage, 3600));
            io.gatehouse.testing.TestBrowser first = new io.gatehouse.testing.TestBrowser(base);
            first.follow(base + "/v1/sso/start?login=" + org);
            assertNotNull(first.setCookie("gatehouse_session"));
            operator().contentType("application/json").body(Map.of("mappings", List.of(Map.of("group", "g-admins", "roles", List.of("admin")))))
                    .put("/v1/orgs/" + org + "/role-mappings").then().statusCode(200);
            oidc.enqueueCallback(new no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback(issuer, "s-1", "JWT", null, overage, 3600));
            var refused = new io.gatehouse.testing.TestBrowser(base).follow(base + "/v1/sso/start?login=" + org);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("did not send your groups"), refused.body());
            assertEquals("groups_overage", Db.value("select reason from login_attempts a join orgs o on o.id = a.org_id "
                    + "where o.code = ? order by seq desc limit 1", org));
        } finally {
            oidc.shutdown();
        }
    }
}
