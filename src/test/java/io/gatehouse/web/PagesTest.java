package io.gatehouse.web;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pages over HTTP: security headers, CSRF on every post (each refusal changes nothing), who may
 * see the admin pages, output encoding. The real-browser journeys are in {@code BrowserPagesTest}.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class PagesTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** A browser's CSRF cookie and the form token of a page it loaded. */
    private record Form(String cookie, String token) {
    }

    private static Form form(String path, String session) {
        var request = given().redirects().follow(false);
        if (session != null) {
            request.cookie("gatehouse_session", session);
        }
        ExtractableResponse<Response> page = request.get(path).then().statusCode(200).extract();
        Matcher m = CSRF.matcher(page.asString());
        assertTrue(m.find(), "a CSRF field on " + path);
        String cookie = page.cookie("gatehouse_csrf");
        assertNotNull(cookie, "the CSRF cookie is set with the page");
        return new Form(cookie, m.group(1));
    }

    /** Signs in through the login page; returns the session cookie. */
    private static String signIn(String username) {
        Form form = form("/login", null);
        var response = given().redirects().follow(false).cookie("gatehouse_csrf", form.cookie())
                .formParam("csrf", form.token()).formParam("username", username).formParam("password", Api.PASSWORD)
                .post("/login").then().statusCode(303).extract();
        assertTrue(response.header("Set-Cookie").contains("HttpOnly"));
        return response.cookie("gatehouse_session");
    }

    /** A new user of these roles in the org, signed in through the login page; returns the session cookie. */
    private static String signedIn(String org, String role) {
        String username = Api.newCode(role.substring(0, 1));
        Api.createUser(org, username, role);
        return signIn(username);
    }

    @Test
    void everyPageCarriesTheSecurityHeaders() {
        for (String path : new String[]{"/login", "/login/sso"}) {
            given().get(path).then().statusCode(200).contentType(containsString("text/html"))
                    .header("Content-Security-Policy", containsString("script-src 'self'"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Referrer-Policy", "no-referrer").header("X-Content-Type-Options", "nosniff")
                    .header("Cache-Control", "no-store");
        }
        given().get("/static/app.css").then().statusCode(200);
        given().get("/static/app.js").then().statusCode(200).body(containsString("data-copy"));
    }

    @Test
    void passwordSignInThroughThePageEndsOnTheLandingPage() {
        String org = Api.createOrg("page");
        String username = Api.newCode("pat");
        Api.createUser(org, username, "member");
        String session = signIn(username);
        given().cookie("gatehouse_session", session).get("/").then().statusCode(200)
                .body(containsString("Signed in as")).body(containsString(username + "@example.com"));
        given().redirects().follow(false).get("/").then().statusCode(303).header("Location", containsString("/login"));
        // The cookie is for pages only: the API does not take it (a cross-site request could send it).
        given().cookie("gatehouse_session", session).get("/v1/me").then().statusCode(401);

        Form form = form("/login", null);
        given().cookie("gatehouse_csrf", form.cookie()).formParam("csrf", form.token()).formParam("username", username)
                .formParam("password", "wrong password!!").post("/login").then().statusCode(401)
                .body(containsString("Wrong username or password.")).header("Set-Cookie", not(containsString("gatehouse_session=ey")));
    }

    @Test
    void aLockedUsernameIsToldWhyOnThePage() {
        String org = Api.createOrg("pagelock");
        String username = Api.newCode("lock");
        Api.createUser(org, username, "member");
        Api.failLogins(username, 10);
        Form form = form("/login", null);
        given().cookie("gatehouse_csrf", form.cookie()).formParam("csrf", form.token()).formParam("username", username)
                .formParam("password", Api.PASSWORD).post("/login").then().statusCode(429)
                .body(containsString("Too many failed sign-ins for this username. Try again in 15 minutes"))
                .header("Set-Cookie", not(containsString("gatehouse_session=ey")));
    }

    @Test
    void anAdminUnlocksALockedUserOnTheUsersPage() {
        String org = Api.createOrg("pageunlock");
        String username = Api.newCode("lock");
        Api.createUser(org, username, "member");
        String session = signedIn(org, "admin");
        Api.failLogins(username, 10);
        String page = given().cookie("gatehouse_session", session).get("/admin/users").then().statusCode(200).extract().asString();
        Matcher unlock = Pattern.compile("action=\"(/admin/users/[0-9a-f-]+/unlock)\"").matcher(page);
        assertTrue(unlock.find(), "an Unlock button");
        assertTrue(page.contains("locked until"), "the lockout is shown");
        Form form = form("/admin/users", session);
        given().redirects().follow(false).cookie("gatehouse_session", session).cookie("gatehouse_csrf", form.cookie())
                .formParam("csrf", form.token()).post(unlock.group(1)).then().statusCode(303)
                .header("Location", containsString("done=unlocked"));
        given().cookie("gatehouse_session", session).get("/admin/users?done=unlocked").then().statusCode(200)
                .body(containsString("Password sign-in unlocked.")).body(not(containsString("locked until")));
        Api.login(username);
    }

    @Test
    void postsWithoutTheRightCsrfTokenAreRefusedAndChangeNothing() {
        String org = Api.createOrg("csrf");
        String username = Api.newCode("adm");
        Api.createUser(org, username, "admin");
        long attempts = Db.count("select count(*) from login_attempts");
        Form form = form("/login", null);
        // No token; a token of another browser's cookie; a token without any cookie.
        given().cookie("gatehouse_csrf", form.cookie()).formParam("username", username).formParam("password", Api.PASSWORD)
                .post("/login").then().statusCode(403).body(containsString("Form expired"));
        Form other = form("/login", null);
        given().cookie("gatehouse_csrf", form.cookie()).formParam("csrf", other.token()).formParam("username", username)
                .formParam("password", Api.PASSWORD).post("/login").then().statusCode(403);
        given().formParam("csrf", form.token()).formParam("username", username).formParam("password", Api.PASSWORD)
                .post("/login").then().statusCode(403);
        assertEquals(attempts, Db.count("select count(*) from login_attempts"), "no sign-in was even tried");

        String session = signIn(username);
        String before = Db.snapshot();
        given().cookie("gatehouse_session", session).multiPart("type", "saml").multiPart("metadata_url", "https://idp.example.com/m")
                .post("/admin/sso/connections").then().statusCode(403);
        given().cookie("gatehouse_session", session).formParam("roles", "owner")
                .post("/admin/users/" + java.util.UUID.randomUUID() + "/roles").then().statusCode(403);
        given().redirects().follow(false).cookie("gatehouse_session", session).post("/logout").then().statusCode(403);
        assertEquals(before, Db.snapshot());
        given().cookie("gatehouse_session", session).get("/").then().statusCode(200);
    }

    @Test
    void adminPagesAreForTheOrgsAdminsOnly() {
        String org = Api.createOrg("adm");
        String member = Api.newCode("m");
        Api.createUser(org, member, "member");
        String admin = Api.newCode("a");
        Api.createUser(org, admin, "admin");
        given().redirects().follow(false).get("/admin/sso").then().statusCode(303)
                .header("Location", containsString("/login?return_to=/admin/sso"));
        given().cookie("gatehouse_session", signIn(member)).get("/admin/users").then().statusCode(403)
                .body(containsString("Administrators only"));
        given().cookie("gatehouse_session", "not-a-token").redirects().follow(false).get("/admin/sso").then().statusCode(303);
        String session = signIn(admin);
        given().cookie("gatehouse_session", session).get("/admin/sso").then().statusCode(200)
                .body(containsString("/v1/saml/" + org + "/acs")).body(containsString("No connections yet"));
        given().cookie("gatehouse_session", session).get("/admin/users").then().statusCode(200).body(containsString(member));
        given().cookie("gatehouse_session", session).get("/admin/attempts").then().statusCode(200).body(containsString("password"));
    }

    @Test
    void aBadMetadataUploadShowsTheReasonAndChangesNothing() {
        String session = signedIn(Api.createOrg("bad"), "admin");
        Form form = form("/admin/sso", session);
        String before = Db.snapshot();
        given().cookie("gatehouse_session", session).cookie("gatehouse_csrf", form.cookie())
                .multiPart("csrf", form.token()).multiPart("type", "saml")
                .multiPart("metadata_file", "idp.xml", "<html>not metadata</html>".getBytes(), "application/xml")
                .post("/admin/sso/connections").then().statusCode(400)
                .body(containsString("The metadata is not usable XML")).body(containsString("metadata_xml"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void anAdminClaimsADomainAndSeesItsTxtRecordThenChecksItOnThePage() {
        String org = Api.createOrg("pgdom");
        String session = signedIn(org, "admin");
        String domain = Api.newCode("pd") + ".example.org";
        Form form = form("/admin/sso", session);
        given().redirects().follow(false).cookie("gatehouse_session", session).cookie("gatehouse_csrf", form.cookie())
                .formParam("csrf", form.token()).formParam("domain", domain)
                .post("/admin/sso/domains").then().statusCode(303).header("Location", containsString("done=domain"));
        String page = given().cookie("gatehouse_session", session).get("/admin/sso").then().statusCode(200).extract().asString();
        String value = (String) operator().get("/v1/orgs/" + org + "/domains").then().statusCode(200).extract().path("[0].txt_record_value");
        assertTrue(page.contains("_gatehouse." + domain) && page.contains(value), "the TXT record to publish is on the page");
        io.gatehouse.testing.DnsServer.txt("_gatehouse." + domain, value);
        given().redirects().follow(false).cookie("gatehouse_session", session).cookie("gatehouse_csrf", form.cookie())
                .formParam("csrf", form.token()).post("/admin/sso/domains/" + domain + "/verify")
                .then().statusCode(303).header("Location", containsString("done=domain-verified"));
        operator().get("/v1/orgs/" + org).then().statusCode(200).body("domains", hasItem(domain));
    }

    @Test
    void aPersonEndsAnotherOfTheirSessionsAndAnAdminSignsThemOutEverywhere() {
        String org = Api.createOrg("pgsess");
        String username = Api.newCode("p");
        String id = Api.createUser(org, username, "member");
        String here = signIn(username);
        String elsewhere = signIn(username);
        String otherSid = (String) Api.as(Api.login(username)).get("/v1/me/sessions").then().statusCode(200)
                .extract().path("find { it.id != null }.id");
        String page = given().cookie("gatehouse_session", here).get("/").then().statusCode(200).extract().asString();
        assertTrue(page.contains("this browser") && page.contains("/sessions/" + otherSid + "/end"), "the sessions, with End buttons");
        Form form = form("/", here);
        given().redirects().follow(false).cookie("gatehouse_session", here).cookie("gatehouse_csrf", form.cookie())
                .formParam("csrf", form.token()).post("/sessions/" + otherSid + "/end").then().statusCode(303)
                .header("Location", endsWith(":" + io.restassured.RestAssured.port + "/"));
        given().cookie("gatehouse_session", here).get("/v1/auth/verify").then().statusCode(200);

        String admin = signedIn(org, "admin");
        Form adminForm = form("/admin/users", admin);
        given().redirects().follow(false).cookie("gatehouse_session", admin).cookie("gatehouse_csrf", adminForm.cookie())
                .formParam("csrf", adminForm.token()).post("/admin/users/" + id + "/sign-out").then().statusCode(303)
                .header("Location", containsString("done=signed-out"));
        given().cookie("gatehouse_session", here).get("/v1/auth/verify").then().statusCode(401);
        given().cookie("gatehouse_session", elsewhere).get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void anAdminEditsAConnectionThroughThePage() {
        String org = Api.createOrg("edit");
        String id = operator().body(Map.of("type", "saml", "metadata_xml", new io.gatehouse.testing.TestSamlIdp("https://idp.example.org/e")
                .metadata("https://idp.example.org/sso"))).post("/v1/orgs/" + org + "/connections").then().statusCode(201).extract().path("id");
        String session = signedIn(org, "admin");
        Form form = form("/admin/sso", session);
        given().cookie("gatehouse_session", session).get("/admin/sso").then().statusCode(200)
                .body(containsString("Allow sign-in from the IdP")).body(containsString("https://idp.example.org/e"));
        // The IdP-initiated box left unticked, signing ticked, an email attribute named.
        given().redirects().follow(false).cookie("gatehouse_session", session).cookie("gatehouse_csrf", form.cookie())
                .formParam("csrf", form.token()).formParam("name", "Okta <prod>").formParam("sign_requests", "true")
                .formParam("email_attribute", "workEmail")
                .post("/admin/sso/connections/" + id + "/edit").then().statusCode(303).header("Location", containsString("done=changed"));
        operator().get("/v1/orgs/" + org + "/connections/" + id).then().statusCode(200)
                .body("name", equalTo("Okta <prod>"))
                .body("allow_idp_initiated", equalTo(false))
                .body("sign_requests", equalTo(true))
                .body("attribute_mapping.email", equalTo("workEmail"));
        String page = given().cookie("gatehouse_session", session).get("/admin/sso").then().statusCode(200).extract().asString();
        assertTrue(page.contains("Okta &lt;prod&gt;"), "the new name, encoded");
    }

    @Test
    void whatUsersTypedIsEncodedEverywhere() {
        String org = Api.newCode("enc");
        operator().body(Map.of("code", org, "name", "<script>alert(1)</script> & Co")).post("/v1/orgs").then().statusCode(201);
        String session = signedIn(org, "admin");
        String page = given().cookie("gatehouse_session", session).get("/admin/sso").then().statusCode(200).extract().asString();
        assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co"), "escaped");
        assertTrue(!page.contains("<script>alert(1)"), "never raw");
        String sso = given().queryParam("return_to", "\"><script>x()</script>").get("/login/sso").then().statusCode(200).extract().asString();
        assertTrue(!sso.contains("<script>x()"), sso);
    }

    @Test
    void theSsoFormSendsTheBrowserToTheOrgsIdpOrSaysItFoundNothing() {
        String org = Api.createOrg("ssop");
        operator().body(Map.of("type", "saml", "metadata_xml", new io.gatehouse.testing.TestSamlIdp("https://idp.example.org/p")
                .metadata("https://idp.example.org/sso"))).post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        Form form = form("/login/sso", null);
        given().redirects().follow(false).cookie("gatehouse_csrf", form.cookie()).formParam("csrf", form.token())
                .formParam("login", org).post("/login/sso").then().statusCode(303)
                .header("Location", containsString("/v1/saml/" + org));
        given().cookie("gatehouse_csrf", form.cookie()).formParam("csrf", form.token()).formParam("login", "no-such-org-zz")
                .post("/login/sso").then().statusCode(404).body(containsString("could not find single sign-on"));
        assertNull(Db.value("select code from orgs where code = 'no-such-org-zz'"));
    }

    @Test
    void theDirectoryPageMakesATokenShowsItOnceAndSavesMappings() {
        String org = Api.createOrg("dir");
        String session = signedIn(org, "admin");
        given().cookie("gatehouse_session", session).get("/admin/directory").then().statusCode(200)
                .body(containsString("http://localhost:8080/scim/v2/" + org)).body(containsString("never"));
        Form form = form("/admin/directory", session);
        String page = given().cookie("gatehouse_session", session).cookie("gatehouse_csrf", form.cookie())
                .formParam("csrf", form.token()).formParam("name", "Okta").post("/admin/directory/tokens")
                .then().statusCode(201).extract().asString();
        Matcher token = Pattern.compile("(ghscim_[A-Za-z0-9_-]+)").matcher(page);
        assertTrue(token.find(), page);
        given().header("Authorization", "Bearer " + token.group(1)).get("/scim/v2/" + org + "/Users").then().statusCode(200);
        String again = given().cookie("gatehouse_session", session).get("/admin/directory").then().statusCode(200).extract().asString();
        assertTrue(!again.contains(token.group(1)) && again.contains("Okta"), "listed, never shown again");

        Form mappings = form("/admin/directory", session);
        given().redirects().follow(false).cookie("gatehouse_session", session).cookie("gatehouse_csrf", mappings.cookie())
                .formParam("csrf", mappings.token()).formParam("mappings", "Engineering: developer, reviewer\nApp Admins: admin")
                .post("/admin/directory/mappings").then().statusCode(303);
        assertEquals(2L, Db.count("select count(*) from role_mappings m join orgs o on o.id = m.org_id where o.code = ?", org));
        Form bad = form("/admin/directory", session);
        String before = Db.snapshot() + Db.column("select string_agg(m::text, '|') from role_mappings m");
        given().cookie("gatehouse_session", session).cookie("gatehouse_csrf", bad.cookie())
                .formParam("csrf", bad.token()).formParam("mappings", "Engineering developer")
                .post("/admin/directory/mappings").then().statusCode(400).body(containsString("group: role, role"));
        assertEquals(before, Db.snapshot() + Db.column("select string_agg(m::text, '|') from role_mappings m"));

        String member = signedIn(org, "member");
        given().cookie("gatehouse_session", member).get("/admin/directory").then().statusCode(403);
    }
}
