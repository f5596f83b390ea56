package io.gatehouse.web;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestSamlIdp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The org's own sign-in page, at /o/{org} and at the root of a host mapped to the org. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OrgLoginPageTest {

    private static Document page(String path, String host) {
        var request = given().urlEncodingEnabled(false).redirects().follow(false);
        if (host != null) {
            request.header("Host", host);
        }
        String html = request.get(path).then().statusCode(200).contentType("text/html").extract().asString();
        return Jsoup.parse(html);
    }

    private static String saml(String org, String entityId) {
        return operator().body(Map.of("type", "saml", "metadata_xml", new TestSamlIdp(entityId).metadata(entityId + "/sso")))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201).extract().path("id");
    }

    @Test
    void oneButtonPerUsableConnectionInTheIdpsWordsAndPasswordsUntilSsoIsEnforced() {
        String org = Api.createOrg("own");
        String microsoft = Api.createAzureConnection(org, "s3cret-value");
        String okta = saml(org, "http://www.okta.com/exk" + org.substring(4));
        String disabled = saml(org, "https://idp.example.org/" + org);
        operator().body(Map.of("enabled", false)).patch("/v1/orgs/" + org + "/connections/" + disabled).then().statusCode(200);
        operator().body(Map.of("type", "saml", "name", "Not ready")).post("/v1/orgs/" + org + "/connections").then().statusCode(201);

        Document page = page("/o/" + org + "?return_to=https%3A%2F%2Fapp.example.com%2Fx", null);
        var buttons = page.select("#org-login a.button");
        assertEquals(List.of("Sign in with Microsoft", "Sign in with Okta"), buttons.eachText(),
                "the disabled connection and the one without IdP metadata have no button");
        assertEquals("/v1/oidc/" + org + "/login?connection=" + microsoft + "&return_to=https%3A%2F%2Fapp.example.com%2Fx",
                buttons.get(0).attr("href"));
        assertEquals("/v1/saml/" + org + "?connection=" + okta + "&return_to=https%3A%2F%2Fapp.example.com%2Fx",
                buttons.get(1).attr("href"));
        assertEquals(1, page.select("#password-form").size());
        assertEquals("https://app.example.com/x", page.select("#password-form input[name=return_to]").val());
        assertTrue(page.title().startsWith("Sign in to "), page.title());

        // The button leads into the sign-in through that connection.
        String location = given().redirects().follow(false).get(buttons.get(1).attr("href")).then().statusCode(303)
                .extract().header("Location");
        assertTrue(location.startsWith("http://www.okta.com/exk" + org.substring(4) + "/sso?SAMLRequest="), location);

        Api.operator().body(Map.of("sso_enforced", true)).patch("/v1/orgs/" + org).then().statusCode(200);
        assertEquals(0, page("/o/" + org, null).select("#password-form").size(), "no password form once SSO is enforced");
        operator().get("/v1/orgs/" + org + "/sso").then().statusCode(200)
                .body("urls.login_url", equalTo("http://localhost:8080/o/" + org));
    }

    @Test
    void aHostMappedToAnOrgShowsItsPageAtTheRootAndUnknownOrgsGetA404() {
        if (operator().get("/v1/orgs/hostmapped").statusCode() == 404) {
            operator().body(Map.of("code", "hostmapped", "name", "Hostmapped Facility")).post("/v1/orgs").then().statusCode(201);
        }
        Document root = page("/", "signin.hostmapped.test");
        assertEquals("Sign in to Hostmapped Facility", root.select("h1").text());
        assertTrue(root.select("#no-sso").size() == 1, "no connection yet: it says so");
        // Any other host's root is the generic sign-in.
        assertEquals("/login", java.net.URI.create(given().redirects().follow(false).header("Host", "other.example.test")
                .get("/").then().statusCode(303).extract().header("Location")).getPath());
        given().get("/o/no-such-org").then().statusCode(404);
    }
}
