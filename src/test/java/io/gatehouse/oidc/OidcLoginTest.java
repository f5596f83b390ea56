package io.gatehouse.oidc;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestBrowser;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sign-in through real OIDC providers on loopback (mock-oauth2-server: each issuer id is one IdP). */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OidcLoginTest {

    private static MockOAuth2Server idp;

    @BeforeAll
    static void startIdp() {
        idp = new MockOAuth2Server();
        idp.start();
    }

    @AfterAll
    static void stopIdp() {
        idp.shutdown();
    }

    private static String gatehouse() {
        return "http://localhost:" + RestAssured.port;
    }

    /** An org with a generic OIDC connection to the issuer {@code issuerId}; returns its code. */
    static String oidcOrg(String issuerId) {
        String org = Api.createOrg("oidc");
        operator().body(Map.of("type", "oidc", "issuer", idp.issuerUrl(issuerId).toString(), "client_id", "gatehouse-" + org,
                "client_secret", "secret")).post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        return org;
    }

    static void nextLogin(String issuerId, String subject, Map<String, Object> claims) {
        idp.enqueueCallback(new DefaultOAuth2TokenCallback(issuerId, subject, "JWT", null, claims, 3600));
    }

    private static String orgOfCookie(String cookie) {
        return given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(200)
                .extract().header("X-Auth-Org");
    }

    @Test
    void personSignsInWithTheCompanyCodeAndLandsWithAGatehouseSession() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        String email = Api.newCode("jane") + "@example.com";
        nextLogin(issuer, "subject-jane", Map.of("email", email, "name", "Jane Doe"));

        TestBrowser browser = new TestBrowser(gatehouse());
        HttpResponse<String> last = browser.follow(gatehouse() + "/v1/sso/start?login=" + org
                + "&return_to=https%3A%2F%2Fapp.example.com%2Fhome");
        assertEquals(303, last.statusCode(), last.body());
        assertEquals("https://app.example.com/home", last.headers().firstValue("Location").orElseThrow());
        String cookie = browser.setCookie("gatehouse_session");
        assertNotNull(cookie);
        assertEquals(org, orgOfCookie(cookie));
        assertEquals("Jane Doe", Db.value("select display_name from users where email = ?", email));
        assertEquals("sso", Db.value("select auth_mode from users where email = ?", email));
        assertEquals(1L, Db.count("select count(*) from identity_links l join users u on u.id = l.user_id where u.email = ? and l.subject = 'subject-jane'", email));
        // quarkus-oidc's own session cookie is dropped: Gatehouse's session is the only one.
        assertTrue(browser.hops().getLast().headers().allValues("Set-Cookie").stream()
                .anyMatch(h -> h.startsWith("q_session") && h.contains("Max-Age=0")), browser.hops().getLast().headers().toString());
    }

    @Test
    void twoOrgsWithTwoIdpsEachLandInTheirOwnOrg() throws Exception {
        String issuerA = "idp-a-" + UUID.randomUUID();
        String issuerB = "idp-b-" + UUID.randomUUID();
        String orgA = oidcOrg(issuerA);
        String orgB = oidcOrg(issuerB);
        nextLogin(issuerA, "same-subject", Map.of("email", Api.newCode("a") + "@example.com"));
        nextLogin(issuerB, "same-subject", Map.of("email", Api.newCode("b") + "@example.com"));
        TestBrowser a = new TestBrowser(gatehouse());
        TestBrowser b = new TestBrowser(gatehouse());
        a.follow(gatehouse() + "/v1/sso/start?login=" + orgA);
        b.follow(gatehouse() + "/v1/sso/start?login=" + orgB);
        assertEquals(orgA, orgOfCookie(a.setCookie("gatehouse_session")));
        assertEquals(orgB, orgOfCookie(b.setCookie("gatehouse_session")));
    }

    @Test
    void usernameAndEmailDomainAlsoFindTheOrg() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String domain = Api.newCode("corp") + ".com";
        String org = Api.newCode("dom");
        operator().body(Map.of("code", org, "name", "D", "domains", List.of(domain))).post("/v1/orgs").then().statusCode(201);
        operator().body(Map.of("type", "oidc", "issuer", idp.issuerUrl(issuer).toString(), "client_id", "c"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        given().accept("application/json").queryParam("login", "someone@" + domain).get("/v1/sso/start")
                .then().statusCode(200).body("redirect_url", startsWith("http://localhost:8080/v1/oidc/" + org + "/login?connection="));
    }

    @Test
    void unknownLoginGetsOneFriendlyAnswer() {
        String unknownUser = given().queryParam("login", "nobody-" + UUID.randomUUID()).get("/v1/sso/start").then().statusCode(404).extract().asString();
        String unknownDomain = given().queryParam("login", "x@nowhere-" + UUID.randomUUID() + ".com").get("/v1/sso/start").then().statusCode(404).extract().asString();
        assertEquals(unknownUser, unknownDomain);
        String orgWithoutConnection = Api.createOrg("noconn");
        assertEquals(unknownUser, given().queryParam("login", orgWithoutConnection).get("/v1/sso/start").then().statusCode(404).extract().asString());
    }
}
