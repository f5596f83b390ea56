package io.gatehouse.saml;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.Keycloak;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestBrowser;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A full SAML round trip against Keycloak as a SAML IdP on loopback: the org is configured from
 * Keycloak's metadata URL, then people sign in SP-initiated (Gatehouse's AuthnRequest, Keycloak's login
 * form, its signed response auto-posted to the ACS) and IdP-initiated (Keycloak's IdP-initiated URL).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class KeycloakSamlTest {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final String PUBLIC = "http://localhost:8080";

    private record Realm(String name, String email) {
    }

    /** A realm with one SAML client for the org's SP entity ID and ACS, and one user. */
    private static Realm realm(String org) throws Exception {
        String kc = Keycloak.url();
        String admin = Keycloak.adminToken();
        String realm = "s-" + UUID.randomUUID().toString().substring(0, 8);
        String sp = PUBLIC + "/v1/saml/" + org;
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("realm", realm, "enabled", true))
                .post(kc + "/admin/realms").then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of(
                        "clientId", sp, "protocol", "saml", "enabled", true,
                        "redirectUris", List.of(sp + "/acs"),
                        "attributes", Map.of(
                                "saml_assertion_consumer_url_post", sp + "/acs",
                                "saml_idp_initiated_sso_url_name", "gatehouse",
                                "saml.client.signature", "false",
                                "saml.server.signature", "true",
                                "saml.assertion.signature", "true",
                                "saml.signature.algorithm", "RSA_SHA256",
                                "saml_force_name_id_format", "true",
                                "saml_name_id_format", "email"),
                        "protocolMappers", List.of(
                                mapper("email", "email"), mapper("firstName", "firstName"), mapper("lastName", "lastName"))))
                .post(kc + "/admin/realms/" + realm + "/clients").then().statusCode(201);
        String email = Api.newCode("kcsaml") + "@example.com";
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of(
                        "username", "jane", "email", email, "emailVerified", true, "enabled", true,
                        "firstName", "Jane", "lastName", "Saml",
                        "credentials", List.of(Map.of("type", "password", "value", "correct horse", "temporary", false))))
                .post(kc + "/admin/realms/" + realm + "/users").then().statusCode(201);
        return new Realm(realm, email);
    }

    private static Map<String, Object> mapper(String property, String attribute) {
        return Map.of("name", attribute, "protocol", "saml", "protocolMapper", "saml-user-property-mapper",
                "config", Map.of("user.attribute", property, "attribute.name", attribute, "attribute.nameformat", "Basic"));
    }

    /** Keycloak's login form, filled in; returns Keycloak's answer (its auto-posting form to the ACS). */
    private static HttpResponse<String> logInAtKeycloak(TestBrowser browser, HttpResponse<String> loginPage) throws Exception {
        assertEquals(200, loginPage.statusCode(), loginPage.body());
        Matcher action = FORM_ACTION.matcher(loginPage.body());
        assertTrue(action.find(), "Keycloak's login form: " + loginPage.body());
        return browser.submit(action.group(1).replace("&amp;", "&"), Map.of("username", "jane", "password", "correct horse"));
    }

    @Test
    void metadataUrlImportThenSpAndIdpInitiatedSignIn() throws Exception {
        String org = Api.createOrg("kcs");
        Realm realm = realm(org);
        String kc = Keycloak.url();
        operator().body(Map.of("type", "saml", "metadata_url", kc + "/realms/" + realm.name() + "/protocol/saml/descriptor"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201)
                .body("idp.entity_id", equalTo(kc + "/realms/" + realm.name()))
                .body("idp.sso_url", equalTo(kc + "/realms/" + realm.name() + "/protocol/saml"));

        // SP-initiated, from the company code.
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> loginPage = browser.follow(PUBLIC + "/v1/sso/start?login=" + org
                + "&return_to=https%3A%2F%2Fapp.example.com%2Fsaml");
        HttpResponse<String> posting = logInAtKeycloak(browser, loginPage);
        assertEquals(200, posting.statusCode(), posting.body());
        HttpResponse<String> landed = browser.submitAutoPostForm(posting.body());
        assertEquals(303, landed.statusCode(), landed.body());
        assertEquals("https://app.example.com/saml", landed.headers().firstValue("Location").orElseThrow());
        String session = browser.setCookie("gatehouse_session");
        assertNotNull(session);
        given().cookie("gatehouse_session", session).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", org).header("X-Auth-Email", realm.email());
        assertEquals("Jane Saml", Db.value("select display_name from users where email = ?", realm.email()));

        // IdP-initiated, from Keycloak's own URL for the app (a fresh browser).
        TestBrowser portal = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> portalLogin = portal.follow(kc + "/realms/" + realm.name() + "/protocol/saml/clients/gatehouse");
        HttpResponse<String> unsolicited = logInAtKeycloak(portal, portalLogin);
        assertEquals(200, unsolicited.statusCode(), unsolicited.uri() + " " + unsolicited.body());
        portal.submitAutoPostForm(unsolicited.body());
        HttpResponse<String> acs = portal.hops().stream().filter(h -> h.uri().getPath().endsWith("/acs")).findFirst().orElseThrow();
        assertEquals(303, acs.statusCode(), acs.body());
        assertEquals("/", acs.uri().resolve(acs.headers().firstValue("Location").orElseThrow()).getPath(),
                "no RelayState: the default page");
        assertNotNull(portal.setCookie("gatehouse_session"));
        assertEquals(1L, Db.count("select count(*) from users where email = ?", realm.email()), "the same person, linked");
        assertEquals(2L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.protocol = 'saml' and a.outcome = 'success'", org));
    }
}
