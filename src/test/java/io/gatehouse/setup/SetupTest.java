package io.gatehouse.setup;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestSamlIdp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Setup links and the setup pages over HTTP: a browser with no account opens a link, sets up a SAML
 * connection as a draft, runs a test sign-in (an IdP of the test signs the answer), activates; and what a
 * link must never do, each wrong in one way, with the database compared before and after.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SetupTest {

    private static final String PUBLIC = "http://localhost:8080";

    /** A browser: its cookies, kept across requests. */
    private static final class Browser {
        final Map<String, String> cookies = new HashMap<>();

        ExtractableResponse<Response> get(String path) {
            var response = given().urlEncodingEnabled(false).redirects().follow(false).cookies(cookies).get(path).then().extract();
            cookies.putAll(response.cookies());
            return response;
        }

        Document page(String path) {
            var response = get(path);
            assertEquals(200, response.statusCode(), path + ": " + response.body().asString());
            return Jsoup.parse(response.body().asString());
        }

        String csrf(String path) {
            return page(path).select("input[name=csrf]").first().val();
        }

        ExtractableResponse<Response> post(String path, Map<String, String> form) {
            var response = given().redirects().follow(false).cookies(cookies).contentType("application/x-www-form-urlencoded")
                    .formParams(form).post(path).then().extract();
            cookies.putAll(response.cookies());
            return response;
        }

        ExtractableResponse<Response> multipart(String path, Map<String, String> fields, String file) {
            var request = given().redirects().follow(false).cookies(cookies);
            fields.forEach(request::multiPart);
            if (file != null) {
                request.multiPart("metadata_file", "idp-metadata.xml", file.getBytes(StandardCharsets.UTF_8), "application/xml");
            }
            var response = request.post(path).then().extract();
            cookies.putAll(response.cookies());
            return response;
        }

        /** Opens a setup link as its page does: the fragment's secret posted with the page's CSRF token. */
        ExtractableResponse<Response> open(String url) {
            String token = csrf("/setup/link");
            return post("/setup/link", Map.of("csrf", token, "secret", URI.create(url).getFragment()));
        }
    }

    private static Map<String, Object> link(String org, Map<String, Object> body) {
        return operator().body(body).post("/v1/orgs/" + org + "/setup-links").then().statusCode(201).extract().as(Map.class);
    }

    /** The people tables: users, their IdP links, memberships, sessions. */
    private static String people() {
        return Db.snapshot("users", "identity_links", "memberships", "sessions");
    }

    private static String snapshot() {
        return Db.snapshot() + Db.column("select string_agg(t::text, '|' order by t::text) from setup_links t")
                + Db.column("select count(*) from setup_sessions");
    }

    @Test
    void linksAreMadeListedAndRevokedByTheOperatorOrTheOrgsAdminsOnly() {
        String org = Api.createOrg("links");
        Map<String, Object> made = link(org, Map.of("expires_in", "7d", "scope", List.of("sso", "domains", "directory")));
        String url = (String) made.get("url");
        assertTrue(url.startsWith(PUBLIC + "/setup/link#"), url);
        String secret = URI.create(url).getFragment();
        assertTrue(secret.length() >= 40);
        assertEquals(0L, Db.count("select count(*) from setup_links where secret_hash = ?", secret), "only its hash is kept");
        operator().get("/v1/orgs/" + org + "/setup-links").then().statusCode(200)
                .body("[0].id", equalTo(made.get("id"))).body("[0].url", nullValue()).body("[0].status", equalTo("active"))
                .body("[0].scope", equalTo(List.of("sso", "domains", "directory")));

        String admin = Api.adminOf(org);
        Api.as(admin).body(Map.of("scope", List.of("sso"))).post("/v1/orgs/" + org + "/setup-links").then().statusCode(201);
        String member = Api.tokenOfNewUser("member");
        Api.as(member).body(Map.of()).post("/v1/orgs/" + org + "/setup-links").then().statusCode(404);
        String otherAdmin = Api.adminOf(Api.createOrg("other"));
        Api.as(otherAdmin).body(Map.of()).post("/v1/orgs/" + org + "/setup-links").then().statusCode(404);

        // Wrong in one way each: refused with the field named, nothing made.
        for (Map<String, Object> wrong : List.<Map<String, Object>>of(Map.of("expires_in", "forever"), Map.of("expires_in", "31d"),
                Map.of("expires_in", "0d"), Map.of("scope", List.of("sso", "users")), Map.of("scope", List.of()))) {
            String before = snapshot();
            operator().body(wrong).post("/v1/orgs/" + org + "/setup-links").then().statusCode(400);
            assertEquals(before, snapshot(), wrong.toString());
        }
        operator().delete("/v1/orgs/" + org + "/setup-links/" + made.get("id")).then().statusCode(204);
        operator().get("/v1/orgs/" + org + "/setup-links").then().body("find { it.id == '" + made.get("id") + "' }.status", equalTo("revoked"));
        operator().delete("/v1/orgs/" + org + "/setup-links/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void aLinkOpensTheSetupOfItsOrgOnlyUntilItExpiresOrIsRevoked() {
        String org = Api.createOrg("open");
        Map<String, Object> made = link(org, Map.of());
        Browser browser = new Browser();
        var opened = browser.open((String) made.get("url"));
        assertEquals(303, opened.statusCode());
        assertEquals("/setup", URI.create(opened.header("Location")).getPath());
        String setCookie = opened.headers().getValues("Set-Cookie").stream().filter(c -> c.startsWith("gatehouse_setup=")).findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("Secure") && setCookie.contains("Max-Age=3600"), setCookie);
        Document home = browser.page("/setup");
        assertTrue(home.select("h1").text().startsWith("Set up "), home.select("h1").text());
        assertEquals(13, home.select("#guides a[data-guide]").size(), "one guide per file under setup-guides/");
        assertEquals("no-referrer", browser.get("/setup").header("Referrer-Policy"));
        assertEquals("no-referrer", browser.get("/setup/link").header("Referrer-Policy"));

        // A link opened twice is fine; a wrong secret is not.
        Browser stranger = new Browser();
        assertEquals(403, stranger.open(PUBLIC + "/setup/link#not-a-secret").statusCode());
        assertEquals(401, stranger.get("/setup").statusCode());

        // Expired: the link no longer opens, and its sessions end.
        Db.execute("update setup_links set expires_at = now() - interval '1 second' where id = ?::uuid", made.get("id"));
        assertEquals(401, browser.get("/setup").statusCode());
        assertEquals(403, new Browser().open((String) made.get("url")).statusCode());

        // Revoked: the same.
        Map<String, Object> second = link(org, Map.of());
        Browser again = new Browser();
        assertEquals(303, again.open((String) second.get("url")).statusCode());
        assertEquals(200, again.get("/setup").statusCode());
        operator().delete("/v1/orgs/" + org + "/setup-links/" + second.get("id")).then().statusCode(204);
        assertEquals(401, again.get("/setup").statusCode());
        // That the secret and the page session never reach the log: LogHygieneTest, with every log line kept.
    }

    @Test
    void aLinkReachesNoUserNoRoleNoOtherOrgAndOnlyItsScopes() {
        String a = Api.createOrg("orga");
        String b = Api.createOrg("orgb");
        String bConnection = Api.createAzureConnection(b, "secret-of-b");
        String jane = Api.createUser(a, Api.newCode("jane"));
        Browser browser = new Browser();
        browser.open((String) link(a, Map.of("scope", List.of("domains"))).get("url"));
        String token = browser.csrf("/setup");
        Browser full = new Browser();
        full.open((String) link(a, Map.of()).get("url"));
        String fullToken = full.csrf("/setup");
        String before = snapshot();

        // Only its scopes: domains, not SSO or directory.
        assertEquals(403, browser.get("/setup/idp/okta-saml").statusCode());
        assertEquals(403, browser.multipart("/setup/connections", Map.of("csrf", token, "guide", "other-saml"), null).statusCode());
        assertEquals(403, browser.post("/setup/directory/tokens", Map.of("csrf", token, "name", "x")).statusCode());
        // Never another org: B's connection is not found from A's setup.
        assertEquals(404, full.post("/setup/connections/" + bConnection + "/activate", Map.of("csrf", fullToken)).statusCode());
        assertEquals(404, full.get("/setup/connections/" + bConnection).statusCode());
        // Never users or roles: neither the API nor the admin pages take the setup cookie.
        given().cookies(full.cookies).get("/v1/orgs/" + a + "/users").then().statusCode(401);
        given().cookies(full.cookies).contentType("application/json").body(Map.of("roles", List.of("admin")))
                .patch("/v1/orgs/" + a + "/users/" + jane).then().statusCode(401);
        var rolePost = full.post("/admin/users/" + jane + "/roles", Map.of("csrf", fullToken, "roles", "owner"));
        assertEquals(303, rolePost.statusCode());
        assertEquals("/login", URI.create(rolePost.header("Location")).getPath());
        given().cookies(full.cookies).get("/v1/orgs/" + b + "/sso").then().statusCode(401);
        assertEquals(before, snapshot(), "nothing changed");
    }

    @Test
    void anAdminOfTheOrgReachesSetupFromTheAdminPagesWithoutALink() {
        String org = Api.createOrg("adminsetup");
        String admin = Api.adminOf(org);
        String username = Api.newCode("m");
        Api.createUser(org, username);
        String member = Api.login(username);
        Document home = Jsoup.parse(given().cookie("gatehouse_session", admin).get("/setup").then().statusCode(200).extract().asString());
        assertEquals(13, home.select("#guides a[data-guide]").size());
        assertEquals(0, home.select("#leave").size(), "no link session to leave");
        assertTrue(Jsoup.parse(given().cookie("gatehouse_session", admin).get("/admin/sso").then().extract().asString())
                .select("a#guided-setup[href=/setup]").size() == 1);
        given().get("/setup").then().statusCode(401);
        given().cookie("gatehouse_session", member).get("/setup").then().statusCode(401);
    }

    @Test
    void domainsAndADirectoryTokenAreSetUpFromTheLink() {
        String org = Api.createOrg("dirs");
        Browser browser = new Browser();
        browser.open((String) link(org, Map.of("scope", List.of("domains", "directory"))).get("url"));
        Document home = browser.page("/setup");
        assertEquals(0, home.select("#connections").size(), "no SSO section without the sso scope");
        String token = home.select("input[name=csrf]").first().val();
        String domain = org + ".example";
        var added = browser.post("/setup/domains", Map.of("csrf", token, "domain", domain));
        assertEquals(303, added.statusCode(), added.body().asString());
        Document withDomain = browser.page("/setup?done=domain");
        assertTrue(withDomain.select("#domains").text().contains(domain) && withDomain.select("#domains").text().contains("_gatehouse." + domain),
                withDomain.select("#domains").text());
        operator().get("/v1/orgs/" + org + "/domains").then().body("[0].domain", equalTo(domain)).body("[0].status", equalTo("pending"));

        var made = browser.post("/setup/directory/tokens", Map.of("csrf", token, "name", "Entra ID provisioning"));
        assertEquals(201, made.statusCode());
        Document shown = Jsoup.parse(made.body().asString());
        String scim = shown.select("#v-token").text();
        assertTrue(scim.startsWith("ghscim_"), scim);
        assertEquals("http://localhost:8080/scim/v2/" + org, shown.select("#v-scim").text());
        given().auth().oauth2(scim).get("/scim/v2/" + org + "/Users").then().statusCode(200);
        assertFalse(browser.page("/setup").select("#directory").text().contains(scim), "shown once");
    }

    @Test
    void aSamlConnectionIsSetUpAsADraftTestedWithoutMakingAnyoneAndActivated() throws Exception {
        String org = Api.createOrg("draft");
        TestSamlIdp idp = new TestSamlIdp("https://idp.example.org/" + org);
        Browser browser = new Browser();
        browser.open((String) link(org, Map.of("scope", List.of("sso"))).get("url"));

        Document guide = browser.page("/setup/idp/okta-saml");
        assertEquals(PUBLIC + "/v1/saml/" + org + "/acs", guide.select("code[data-value=acs_url]").first().text());
        assertEquals(PUBLIC + "/v1/saml/" + org, guide.select("code[data-value=entity_id]").first().text());
        assertTrue(guide.text().contains("Single sign-on URL") && guide.text().contains("Audience URI (SP Entity ID)"), "Okta's own words");
        String token = guide.select("input[name=csrf]").first().val();
        var made = browser.multipart("/setup/connections", Map.of("csrf", token, "guide", "okta-saml"), idp.metadata("https://idp.example.org/sso"));
        assertEquals(303, made.statusCode(), made.body().asString());
        String connectionPath = URI.create(made.header("Location")).getPath();
        String id = connectionPath.substring(connectionPath.lastIndexOf('/') + 1);
        operator().get("/v1/orgs/" + org + "/connections/" + id).then().body("draft", equalTo(true)).body("enabled", equalTo(false));

        // A draft signs nobody in: no button on the org's page, no IdP-initiated sign-in.
        assertEquals(0, Jsoup.parse(given().get("/o/" + org).then().extract().asString()).select("a[data-connection]").size());
        String unsolicited = idp.response(PUBLIC + "/v1/saml/" + org, PUBLIC + "/v1/saml/" + org + "/acs").base64();
        given().contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", unsolicited)
                .post("/v1/saml/" + org + "/acs").then().statusCode(403);

        // The test sign-in: to the IdP and back to the report, from this browser only; nobody made.
        String before = people();
        String report = testSignIn(browser, connectionPath, idp, org, idp.credential);
        Document result = browser.page(report);
        assertEquals("create", result.select("#outcome").attr("data-outcome"));
        assertEquals("jane@acme.example", result.select("#email").text());
        assertEquals("jane@acme.example", result.select("#subject").text());
        assertTrue(result.select("#sent").text().contains("name_id_format"), result.select("#sent").text());
        assertEquals(before, people(), "a test sign-in creates no user, no link and no session");
        assertEquals(1L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id where o.code = ? and a.kind = 'test'", org));
        operator().get("/v1/orgs/" + org + "/connections/" + id).then().body("draft", equalTo(true))
                .body("tested_at", notNullValue());

        // A test refused (signed by a key the connection does not trust) says what is wrong and what to fix.
        String refused = testSignIn(browser, connectionPath, idp, org, new TestSamlIdp(idp.entityId, TestSamlIdp.newKey()).credential);
        Document refusal = browser.page(refused);
        assertEquals("refused", refusal.select("#outcome").attr("data-outcome"));
        assertEquals("signature_invalid", refusal.select("#reason").text());
        assertTrue(refusal.select("#fix").text().contains("refresh the IdP metadata"), refusal.select("#fix").text());

        // Activated: tested, so not recorded as untested; people sign in from the org's page.
        String token2 = browser.csrf(connectionPath);
        assertEquals(303, browser.post(connectionPath + "/activate", Map.of("csrf", token2)).statusCode());
        operator().get("/v1/orgs/" + org + "/connections/" + id).then().body("draft", equalTo(false)).body("enabled", equalTo(true))
                .body("activated_untested", equalTo(false));
        assertEquals(1, Jsoup.parse(given().get("/o/" + org).then().extract().asString()).select("a[data-connection=" + id + "]").size());
    }

    @Test
    void activatingWithoutATestIsRecordedAndATestFinishesOnlyInTheBrowserThatStartedIt() throws Exception {
        String org = Api.createOrg("untested");
        TestSamlIdp idp = new TestSamlIdp("https://idp.example.org/" + org);
        Browser browser = new Browser();
        browser.open((String) link(org, Map.of()).get("url"));
        String token = browser.csrf("/setup/idp/other-saml");
        var made = browser.multipart("/setup/connections", Map.of("csrf", token, "guide", "other-saml"), idp.metadata("https://idp.example.org/sso"));
        String connectionPath = URI.create(made.header("Location")).getPath();
        String id = connectionPath.substring(connectionPath.lastIndexOf('/') + 1);

        // Another browser carries the answer to this browser's test: it is not reported, and no one signs in.
        String csrf = browser.csrf(connectionPath);
        var started = browser.post(connectionPath + "/test", Map.of("csrf", csrf));
        var atIdp = browser.get(URI.create(started.header("Location")).getPath() + "?" + URI.create(started.header("Location")).getRawQuery());
        String requestId = TestSamlIdp.authnRequest(atIdp.header("Location")).getID();
        Map<String, String> others = new HashMap<>(browser.cookies);
        others.remove("gatehouse_test");
        String answer = idp.response(PUBLIC + "/v1/saml/" + org, PUBLIC + "/v1/saml/" + org + "/acs").with(r -> r.inResponseTo = requestId).base64();
        String before = Db.snapshot();
        given().redirects().follow(false).cookies(others).contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", answer)
                .post("/v1/saml/" + org + "/acs").then().statusCode(403);
        assertEquals(before, Db.snapshot());

        assertEquals(303, browser.post(connectionPath + "/activate", Map.of("csrf", browser.csrf(connectionPath))).statusCode());
        operator().get("/v1/orgs/" + org + "/connections/" + id).then().body("enabled", equalTo(true)).body("activated_untested", equalTo(true));
    }

    /** Runs a test sign-in from the connection's page; the IdP answers signed with {@code signer}; returns the report's path. */
    private static String testSignIn(Browser browser, String connectionPath, TestSamlIdp idp, String org,
                                     org.opensaml.security.x509.BasicX509Credential signer) throws Exception {
        String csrf = browser.csrf(connectionPath);
        var started = browser.post(connectionPath + "/test", Map.of("csrf", csrf));
        assertEquals(303, started.statusCode(), started.body().asString());
        assertNotNull(browser.cookies.get("gatehouse_test"));
        URI start = URI.create(started.header("Location"));
        var atIdp = browser.get(start.getPath() + "?" + start.getRawQuery());
        assertEquals(303, atIdp.statusCode(), atIdp.body().asString());
        String requestId = TestSamlIdp.authnRequest(atIdp.header("Location")).getID();
        String answer = idp.response(PUBLIC + "/v1/saml/" + org, PUBLIC + "/v1/saml/" + org + "/acs")
                .with(r -> {
                    r.inResponseTo = requestId;
                    r.signer = signer;
                }).base64();
        var back = given().redirects().follow(false).cookies(browser.cookies).contentType("application/x-www-form-urlencoded")
                .formParam("SAMLResponse", answer).post("/v1/saml/" + org + "/acs").then().extract();
        assertEquals(303, back.statusCode(), back.body().asString());
        String report = URI.create(back.header("Location")).getPath();
        assertTrue(report.startsWith("/setup/tests/"), report);
        return report;
    }
}
