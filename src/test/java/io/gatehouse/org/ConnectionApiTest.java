package io.gatehouse.org;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ConnectionApiTest {

    private static final String TENANT = "3f2b1c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d";
    private static final String CLIENT = "0a1b2c3d-4e5f-4061-8a9b-0c1d2e3f4a5b";
    private static final String SECRET = "Zq8~super-secret-value-" + UUID.randomUUID();

    private static Map<String, Object> azure() {
        Map<String, Object> body = new HashMap<>();
        body.put("type", "azure-ad");
        body.put("tenant_id", TENANT);
        body.put("client_id", CLIENT);
        body.put("client_secret", SECRET);
        body.put("client_secret_expires_at", "2099-05-01T00:00:00Z");
        return body;
    }

    @Test
    void azureConnectionKeepsItsSecretWriteOnlyAndEncrypted() {
        String org = Api.createOrg("azure");
        String response = operator().body(azure()).post("/v1/orgs/" + org + "/connections")
                .then().statusCode(201)
                .body("type", equalTo("azure-ad"))
                .body("tenant_id", equalTo(TENANT))
                .body("client_id", equalTo(CLIENT))
                .body("has_client_secret", equalTo(true))
                .body("is_default", equalTo(true))
                .body("$", not(hasKey("client_secret")))
                .extract().asString();
        assertFalse(response.contains(SECRET));
        String id = io.restassured.path.json.JsonPath.from(response).getString("id");
        assertFalse(operator().get("/v1/orgs/" + org + "/connections/" + id).asString().contains(SECRET));
        assertFalse(operator().get("/v1/orgs/" + org + "/connections").asString().contains(SECRET));
        assertFalse(operator().get("/v1/orgs/" + org + "/sso").asString().contains(SECRET));

        String stored = (String) Db.value("select client_secret_ciphertext from connections where id = ?::uuid", id);
        assertTrue(stored.startsWith("v1:"));
        assertFalse(stored.contains(SECRET));
        assertEquals(0, Db.count("select count(*) from connections where settings::text like ?", "%" + SECRET + "%"));
    }

    @Test
    void oidcConnectionWithScopesAndClaimMapping() {
        String org = Api.createOrg("oidc");
        operator().body(Map.of("type", "oidc", "issuer", "https://idp.example.com", "client_id", "gatehouse",
                        "client_secret", "s", "scopes", List.of("openid", "email", "profile"),
                        "claim_mapping", Map.of("email", "upn", "groups", "roles")))
                .post("/v1/orgs/" + org + "/connections")
                .then().statusCode(201)
                .body("issuer", equalTo("https://idp.example.com"))
                .body("scopes", contains("openid", "email", "profile"))
                .body("claim_mapping.email", equalTo("upn"))
                .body("claim_mapping.groups", equalTo("roles"));
    }

    @Test
    void samlConnectionMayExistBeforeItsMetadata() {
        String org = Api.createOrg("saml");
        operator().body(Map.of("type", "saml")).post("/v1/orgs/" + org + "/connections")
                .then().statusCode(201).body("type", equalTo("saml")).body("name", equalTo("SAML"))
                .body("has_client_secret", equalTo(false));
    }

    @Test
    void secondConnectionCanTakeOverAsDefault() {
        String org = Api.createOrg("default");
        String first = Api.createAzureConnection(org, "one");
        String second = operator().body(Map.of("type", "saml", "is_default", true))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201)
                .body("is_default", equalTo(true)).extract().path("id");
        operator().get("/v1/orgs/" + org + "/connections/" + first).then().body("is_default", equalTo(false));
        operator().delete("/v1/orgs/" + org + "/connections/" + second).then().statusCode(204);
        operator().get("/v1/orgs/" + org + "/connections/" + first).then().body("is_default", equalTo(true));
        operator().get("/v1/orgs/" + org + "/connections/" + second).then().statusCode(404);
    }

    @Test
    void rotatingTheSecretReplacesCiphertextAndExpiry() {
        String org = Api.createOrg("rotate");
        String id = Api.createAzureConnection(org, "old-secret");
        String before = (String) Db.value("select client_secret_ciphertext from connections where id = ?::uuid", id);
        operator().body(Map.of("client_secret", "new-secret", "client_secret_expires_at", "2099-01-01T00:00:00Z"))
                .patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(200).body("client_secret_expires_at", equalTo("2099-01-01T00:00:00Z"));
        String after = (String) Db.value("select client_secret_ciphertext from connections where id = ?::uuid", id);
        assertNotEquals(before, after);
        operator().body(Map.of("client_secret", "newer-secret")).patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(200).body("client_secret_expires_at", nullValue());
    }

    @Test
    void disablingAndRenaming() {
        String org = Api.createOrg("disable");
        String id = Api.createAzureConnection(org, "s");
        operator().body(Map.of("enabled", false, "name", "Entra (old)")).patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(200).body("enabled", equalTo(false)).body("name", equalTo("Entra (old)"));
        operator().get("/v1/orgs/" + org + "/sso").then().body("warnings", hasItem(containsString("No enabled connection")));
    }

    @Test
    void ssoOverviewHasEveryValueToPasteBuiltFromThePublicUrl() {
        String org = Api.createOrg("overview");
        Map<String, Object> body = azure();
        body.put("client_secret_expires_at", Instant.now().plus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        operator().body(body).post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        operator().body(Map.of("type", "saml", "sp_entity_id", "urn:legacy:sp", "acs_url", "https://old.example.com/acs"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        String base = "http://localhost:8080";
        operator().header("Host", "evil.example.com").header("X-Forwarded-Host", "evil.example.com")
                .get("/v1/orgs/" + org + "/sso")
                .then().statusCode(200)
                .body("org_code", equalTo(org))
                .body("urls.redirect_uri", equalTo(base + "/v1/callback"))
                .body("urls.entity_id", equalTo(base + "/v1/saml/" + org))
                .body("urls.acs_url", equalTo(base + "/v1/saml/" + org + "/acs"))
                .body("urls.acs_url_query_form", equalTo(base + "/v1/saml/acs?org=" + org))
                .body("urls.metadata_url", equalTo(base + "/v1/saml/" + org + "/metadata"))
                .body("urls.login_url", equalTo(base + "/o/" + org))
                .body("urls.frontchannel_logout_url", equalTo(base + "/v1/oidc/" + org + "/frontchannel-logout"))
                .body("urls.backchannel_logout_url", equalTo(base + "/v1/oidc/" + org + "/backchannel-logout"))
                .body("connections", hasSize(2))
                .body("connections[0].client_secret_expires_in_days", equalTo(9))
                .body("connections[1].sp_entity_id", equalTo("urn:legacy:sp"))
                .body("connections[1].acs_url", equalTo("https://old.example.com/acs"))
                .body("warnings", hasItem(containsString("expires in 9 days")))
                .body(not(containsString("evil.example.com")));
    }

    @Test
    void badTenantGuidIsAFieldError() {
        Map<String, Object> body = azure();
        body.put("tenant_id", "3f2b1c4d-5e6f-4a1b-9c8d");
        assertRejected(body, "tenant_id");
    }

    @Test
    void multiTenantEndpointIsNotATenant() {
        Map<String, Object> body = azure();
        body.put("tenant_id", "common");
        assertRejected(body, "tenant_id");
    }

    @Test
    void verifiedDomainIsAcceptedAsTenant() {
        String org = Api.createOrg("tenantdomain");
        Map<String, Object> body = azure();
        body.put("tenant_id", "contoso.onmicrosoft.com");
        operator().body(body).post("/v1/orgs/" + org + "/connections").then().statusCode(201);
    }

    @Test
    void azureClientIdMustBeAGuid() {
        Map<String, Object> body = azure();
        body.put("client_id", "my-app");
        assertRejected(body, "client_id");
    }

    @Test
    void azureNeedsAClientSecret() {
        Map<String, Object> body = azure();
        body.remove("client_secret");
        assertRejected(body, "client_secret");
    }

    @Test
    void secretExpiryInThePastIsRefused() {
        Map<String, Object> body = azure();
        body.put("client_secret_expires_at", "2001-01-01T00:00:00Z");
        assertRejected(body, "client_secret_expires_at");
    }

    @Test
    void secretExpiryMustBeATimestamp() {
        Map<String, Object> body = azure();
        body.put("client_secret_expires_at", "next tuesday");
        assertRejected(body, "client_secret_expires_at");
    }

    @Test
    void unknownTypeIsAFieldError() {
        Map<String, Object> body = azure();
        body.put("type", "ldap");
        assertRejected(body, "type");
    }

    @Test
    void missingTypeIsAFieldError() {
        Map<String, Object> body = azure();
        body.remove("type");
        assertRejected(body, "type");
    }

    @Test
    void fieldOfAnotherTypeIsRefused() {
        Map<String, Object> body = azure();
        body.put("metadata_url", "https://idp.example.com/metadata");
        assertRejected(body, "metadata_url");
    }

    @Test
    void oidcIssuerMustBeAnAbsoluteUrl() {
        assertRejected(Map.of("type", "oidc", "issuer", "idp.example.com", "client_id", "c"), "issuer");
    }

    @Test
    void oidcScopesMustIncludeOpenid() {
        assertRejected(Map.of("type", "oidc", "issuer", "https://idp.example.com", "client_id", "c",
                "scopes", List.of("email")), "scopes");
    }

    @Test
    void samlNameIdFormatMustBeKnown() {
        assertRejected(Map.of("type", "saml", "name_id_format", "email"), "name_id_format");
    }

    @Test
    void typeCannotChange() {
        String org = Api.createOrg("typechange");
        String id = Api.createAzureConnection(org, "s");
        String before = Db.snapshot();
        operator().body(Map.of("type", "saml")).patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(400).body("errors.field", hasItem("type"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void invalidChangeChangesNothing() {
        String org = Api.createOrg("badpatch");
        String id = Api.createAzureConnection(org, "s");
        String before = Db.snapshot();
        operator().body(Map.of("name", "ok", "tenant_id", "not-a-tenant")).patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(400).body("errors.field", contains("tenant_id"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void samlOverridesAreRemovedByGivingThemAsNull() {
        String org = Api.createOrg("unoverride");
        String id = operator().body(Map.of("type", "saml", "sp_entity_id", "urn:legacy:sp", "acs_url", "https://old.example.com/acs",
                        "name_id_format", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201).extract().path("id");
        operator().body("{\"sp_entity_id\": null, \"acs_url\": null, \"name\": \"After the move\"}")
                .patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(200)
                .body("$", not(hasKey("sp_entity_id")))
                .body("$", not(hasKey("acs_url")))
                .body("name", equalTo("After the move"))
                .body("name_id_format", equalTo("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"));
        operator().get("/v1/orgs/" + org + "/sso").then().statusCode(200)
                .body("connections[0].sp_entity_id", equalTo("http://localhost:8080/v1/saml/" + org))
                .body("connections[0].acs_url", equalTo("http://localhost:8080/v1/saml/" + org + "/acs"));
    }

    @Test
    void secretExpiryAndDiscoveryOverrideAreRemovedByGivingThemAsNull() {
        String org = Api.createOrg("unexpire");
        Map<String, Object> body = azure();
        body.put("discovery_url", "https://login.example.com/tenant/v2.0/.well-known/openid-configuration");
        String id = operator().body(body).post("/v1/orgs/" + org + "/connections").then().statusCode(201).extract().path("id");
        operator().body("{\"client_secret_expires_at\": null, \"discovery_url\": null}").patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(200)
                .body("$", not(hasKey("client_secret_expires_at")))
                .body("$", not(hasKey("discovery_url")))
                .body("client_id", equalTo(CLIENT))
                .body("has_client_secret", equalTo(true));
    }

    @Test
    void aRequiredFieldGivenAsNullIsRefusedAndChangesNothing() {
        assertRemovalRefused("client_id", "cannot be removed; give a new value instead");
    }

    @Test
    void aFieldOfAnotherTypeGivenAsNullIsRefusedAndChangesNothing() {
        assertRemovalRefused("sp_entity_id", "is not used by azure-ad connections");
    }

    /** PATCH of an Azure AD connection with only this field, given as null: refused with this message, nothing changed. */
    private static void assertRemovalRefused(String field, String message) {
        String org = Api.createOrg("unremovable");
        String id = Api.createAzureConnection(org, "s");
        String before = Db.snapshot();
        operator().body("{\"" + field + "\": null}").patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(400).body("errors.field", contains(field)).body("errors.message", contains(message));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void anUnknownFieldGivenAsNullIsRefused() {
        String org = Api.createOrg("unknownnull");
        String id = Api.createAzureConnection(org, "s");
        operator().body("{\"colour\": null}").patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(400).body("errors.field", contains("colour"));
    }

    @Test
    void anUnknownFieldIsRefusedOnCreateAndChangeBesideTheSettingsAndChangesNothing() {
        // The settings are taken at the body's top level beside the other fields: an unknown name there
        // is still refused, on create and on change, and nothing is written.
        Map<String, Object> body = azure();
        body.put("tenant_idd", TENANT);
        assertRejected(body, "tenant_idd");
        String org = Api.createOrg("unknownfield");
        String id = Api.createAzureConnection(org, "s");
        String before = Db.snapshot();
        operator().body(Map.of("name", "Renamed", "colour", "blue")).patch("/v1/orgs/" + org + "/connections/" + id)
                .then().statusCode(400).body("errors.field", contains("colour")).body("errors.message", contains("unknown field"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void unknownConnectionIsNotFound() {
        String org = Api.createOrg("noconn");
        operator().get("/v1/orgs/" + org + "/connections/" + UUID.randomUUID()).then().statusCode(404);
        operator().delete("/v1/orgs/" + org + "/connections/" + UUID.randomUUID()).then().statusCode(404);
    }

    private static void assertRejected(Map<String, Object> body, String field) {
        String org = Api.createOrg("reject");
        String before = Db.snapshot();
        operator().body(body).post("/v1/orgs/" + org + "/connections")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem(field));
        assertEquals(before, Db.snapshot());
    }
}
