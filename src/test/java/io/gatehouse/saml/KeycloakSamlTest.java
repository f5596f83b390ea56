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

    private record Realm(Keycloak.Realm keycloak, String name, String email) {
    }

    /** A realm with one SAML client for the org's SP entity ID, ACS and SLO service, and one user. */
    private static Realm realm(String org) throws Exception {
        String email = Api.newCode("kcsaml") + "@example.com";
        Keycloak.Realm realm = Keycloak.samlRealm(PUBLIC + "/v1/saml/" + org, email, true);
        return new Realm(realm, realm.name(), email);
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

    /**
     * SP-initiated Single Logout: Keycloak requires signed requests (it checks them with the org's SP
     * certificate); signing out of Gatehouse with the IdP sends the browser to Keycloak with a signed
     * LogoutRequest, Keycloak ends its session and answers with a signed LogoutResponse that Gatehouse
     * checks; the next sign-in asks for the password again.
     */
    @Test
    void signingOutWithTheIdpEndsTheKeycloakSessionToo() throws Exception {
        String org = Api.createOrg("kcslo");
        Realm realm = realm(org);
        String kc = Keycloak.url();
        operator().body(Map.of("type", "saml", "sign_requests", true,
                        "metadata_url", kc + "/realms/" + realm.name() + "/protocol/saml/descriptor"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201)
                .body("idp.slo_url", equalTo(kc + "/realms/" + realm.name() + "/protocol/saml"));
        String pem = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].sp_certificate");
        Keycloak.requireSignedSamlRequests(realm.keycloak(), pem);

        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> loginPage = browser.follow(PUBLIC + "/v1/sso/start?login=" + org);
        HttpResponse<String> posting = logInAtKeycloak(browser, loginPage);
        assertEquals(200, posting.statusCode(), posting.body());
        HttpResponse<String> landed = browser.submitAutoPostForm(posting.body());
        assertEquals("/", landed.uri().getPath(), "signed in, on the landing page");
        String session = browser.setCookie("gatehouse_session");
        given().cookie("gatehouse_session", session).get("/v1/auth/verify").then().statusCode(200);

        String idpLogout = given().cookie("gatehouse_session", session).post("/v1/logout?idp=true").then().statusCode(200)
                .extract().path("idp_logout_url");
        assertTrue(idpLogout.startsWith(kc + "/realms/" + realm.name() + "/protocol/saml?SAMLRequest="), idpLogout);
        given().cookie("gatehouse_session", session).get("/v1/auth/verify").then().statusCode(401);
        // Keycloak ends its session and answers in the POST binding: a page that auto-posts to the SLO URL.
        HttpResponse<String> answer = browser.follow(idpLogout);
        assertEquals(200, answer.statusCode(), answer.body());
        HttpResponse<String> back = browser.submitAutoPostForm(answer.body());
        HttpResponse<String> slo = browser.hops().stream().filter(h -> h.uri().getPath().endsWith("/slo")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("Keycloak never answered at the SLO URL: " + back.uri() + " " + back.body()));
        assertEquals(303, slo.statusCode(), slo.body());
        assertEquals("/login", back.uri().getPath(), "back on Gatehouse's sign-in page");
        assertEquals(List.of("rp-with-idp", "idp-response"), Db.column("select a.detail->>'direction' from login_attempts a "
                + "join orgs o on o.id = a.org_id where o.code = ? and a.kind = 'logout' order by a.seq", org));
        assertEquals(0L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.kind = 'logout' and a.outcome = 'failure'", org));

        // Keycloak's session is gone: the same browser is asked for its password again.
        HttpResponse<String> again = browser.follow(PUBLIC + "/v1/sso/start?login=" + org);
        assertEquals(200, again.statusCode());
        assertTrue(FORM_ACTION.matcher(again.body()).find(), "Keycloak's login form again: " + again.body());
    }

    /**
     * One SAML app in Keycloak for a parent org, two accounts: the person signs in once into the default
     * account, an admin of the other adds them, they switch without signing in again, and a sign-in that
     * names the other account lands there straight from Keycloak's session.
     */
    @Test
    void oneKeycloakAppTwoAccountsOneSignInThenASwitch() throws Exception {
        String parent = Api.createOrg("kcpar");
        String us = Api.createOrg("kcus");
        String eu = Api.createOrg("kceu");
        Realm realm = realm(parent);
        operator().body(Map.of("type", "saml", "metadata_url", Keycloak.url() + "/realms/" + realm.name() + "/protocol/saml/descriptor"))
                .post("/v1/orgs/" + parent + "/connections").then().statusCode(201);
        for (String account : List.of(us, eu)) {
            operator().body(Map.of("org", parent)).put("/v1/orgs/" + account + "/sso-parent").then().statusCode(200);
        }
        operator().body(Map.of("org", us)).put("/v1/orgs/" + parent + "/default-account").then().statusCode(200);

        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> posting = logInAtKeycloak(browser, browser.follow(PUBLIC + "/v1/sso/start?login=" + us));
        browser.submitAutoPostForm(posting.body());
        String session = browser.setCookie("gatehouse_session");
        given().cookie("gatehouse_session", session).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", us).header("X-Auth-Roles", "member");

        String person = given().auth().oauth2(session).get("/v1/me").then().statusCode(200).extract().path("user.id");
        Api.as(Api.adminOf(eu)).body(Map.of("user", realm.email(), "roles", List.of("admin"))).post("/v1/orgs/" + eu + "/members")
                .then().statusCode(201).body("user_id", equalTo(person));
        String euToken = given().auth().oauth2(session).contentType(ContentType.JSON).body(Map.of("org", eu)).post("/v1/me/account")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(euToken).get("/v1/auth/verify").then().statusCode(200).header("X-Auth-Org", eu).header("X-Auth-Roles", "admin");

        // Naming the other account at the start: Keycloak's session answers at once, and it lands there.
        HttpResponse<String> again = browser.follow(PUBLIC + "/v1/sso/start?login=" + eu);
        assertEquals(200, again.statusCode(), again.body());
        browser.submitAutoPostForm(again.body());
        given().cookie("gatehouse_session", browser.setCookie("gatehouse_session")).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", eu);
        assertEquals(1L, Db.count("select count(*) from users where email = ?", realm.email()), "one person");
    }
}
