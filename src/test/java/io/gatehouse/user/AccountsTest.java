package io.gatehouse.user;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestSamlIdp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Several accounts under one SSO configuration, over HTTP: a parent org's SAML connection (an IdP of the
 * test signs the answers) serves two accounts; one person, memberships with their own roles, switching,
 * refusals, and the boundaries between accounts.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class AccountsTest {

    private static final String PUBLIC = "http://localhost:8080";

    private record Setup(String parent, String a, String b, TestSamlIdp idp) {
    }

    private static Setup setup() {
        String parent = Api.createOrg("acme");
        String a = Api.createOrg("acmeus");
        String b = Api.createOrg("acmeeu");
        TestSamlIdp idp = new TestSamlIdp("https://idp.example.org/" + parent);
        operator().body(Map.of("type", "saml", "metadata_xml", idp.metadata("https://idp.example.org/sso")))
                .post("/v1/orgs/" + parent + "/connections").then().statusCode(201);
        operator().body(Map.of("org", parent)).put("/v1/orgs/" + a + "/sso-parent").then().statusCode(200);
        operator().body(Map.of("org", parent)).put("/v1/orgs/" + b + "/sso-parent").then().statusCode(200)
                .body("data.code", equalTo(List.of(parent, b, a)));
        operator().body(Map.of("org", a)).put("/v1/orgs/" + parent + "/default-account").then().statusCode(200);
        return new Setup(parent, a, b, idp);
    }

    /** A sign-in as a browser makes it from {@code /v1/sso/start?login=<account>}; the IdP answers for {@code email}. */
    private static ExtractableResponse<Response> signIn(Setup s, String login, String email) throws Exception {
        var start = given().redirects().follow(false).queryParam("login", login).get("/v1/sso/start").then().statusCode(303).extract();
        URI saml = URI.create(start.header("Location"));
        assertTrue(saml.getPath().equals("/v1/saml/" + s.parent()), "the parent's connection: " + saml);
        var atIdp = given().urlEncodingEnabled(false).redirects().follow(false).get(saml.getRawPath() + "?" + saml.getRawQuery())
                .then().statusCode(303).extract();
        return answer(s, atIdp, email);
    }

    /** The IdP's signed answer for {@code email} to the AuthnRequest the browser was sent with, posted to the parent's ACS. */
    private static ExtractableResponse<Response> answer(Setup s, ExtractableResponse<Response> atIdp, String email) {
        return answer(s, atIdp, email, List.of());
    }

    private static ExtractableResponse<Response> answer(Setup s, ExtractableResponse<Response> atIdp, String email, List<String> groups) {
        String requestId = TestSamlIdp.authnRequest(atIdp.header("Location")).getID();
        String answer = s.idp().response(PUBLIC + "/v1/saml/" + s.parent(), PUBLIC + "/v1/saml/" + s.parent() + "/acs").with(r -> {
            r.inResponseTo = requestId;
            r.nameId = email;
            r.attributes.put("email", List.of(email));
            r.attributes.put("groups", groups);
        }).base64();
        return given().redirects().follow(false).cookies(atIdp.cookies()).contentType("application/x-www-form-urlencoded")
                .formParam("SAMLResponse", answer).post("/v1/saml/" + s.parent() + "/acs").then().extract();
    }

    @Test
    void onePersonSeveralAccountsEachWithItsRoles() throws Exception {
        Setup s = setup();
        String email = "jane-" + s.parent().substring(5) + "@example.com";

        // B is not hers yet: refused, and B's admins see it in B's attempt log.
        var refused = signIn(s, s.b(), email);
        assertEquals(403, refused.statusCode(), refused.asString());
        assertEquals(List.of("not_a_member"), Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id where o.code = ?", s.b()));
        String janeId = (String) Db.value("select cast(u.id as text) from users u join orgs o on o.id = u.org_id where o.code = ? and u.email = ?",
                s.parent(), email);
        assertNotNull(janeId, "one person, in the configuration's parent");

        // Just in time she landed in the default account A, with its default role; her own org is not hers.
        var inA = signIn(s, s.a(), email);
        assertEquals(303, inA.statusCode(), inA.asString());
        String cookieA = inA.cookie("gatehouse_session");
        given().cookie("gatehouse_session", cookieA).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", s.a()).header("X-Auth-Roles", "member");
        given().auth().oauth2(cookieA).get("/v1/me/accounts").then().statusCode(200)
                .body("data.org", equalTo(List.of(s.a()))).body("data[0].current", equalTo(true));
        given().auth().oauth2(cookieA).get("/v1/me").then().statusCode(200).body("org.code", equalTo(s.a()));

        // B's admin adds her as an admin of B; A's admin cannot touch B's members.
        String adminB = Api.adminOf(s.b());
        String adminA = Api.adminOf(s.a());
        Api.as(adminB).body(Map.of("user", email, "roles", List.of("admin"))).post("/v1/orgs/" + s.b() + "/members").then().statusCode(201)
                .body("user_id", equalTo(janeId)).body("roles", equalTo(List.of("admin")));
        String before = Db.snapshot() + Db.column("select string_agg(t::text, '|' order by t::text) from memberships t");
        Api.as(adminA).body(Map.of("roles", List.of("viewer"))).patch("/v1/orgs/" + s.b() + "/members/" + janeId).then().statusCode(404);
        Api.as(adminA).delete("/v1/orgs/" + s.b() + "/members/" + janeId).then().statusCode(404);
        Api.as(adminA).body(Map.of("user", email, "roles", List.of("owner"))).post("/v1/orgs/" + s.b() + "/members").then().statusCode(404);
        Api.as(adminB).body(Map.of("user", "nobody@example.com")).post("/v1/orgs/" + s.b() + "/members").then().statusCode(400);
        Api.as(adminB).body(Map.of("user", email, "roles", List.of("emperor"))).post("/v1/orgs/" + s.b() + "/members").then().statusCode(400);
        assertEquals(before, Db.snapshot() + Db.column("select string_agg(t::text, '|' order by t::text) from memberships t"),
                "nothing changed by the refused calls");
        Api.as(adminB).get("/v1/orgs/" + s.b() + "/members").then().statusCode(200).body("data.user_id", equalTo(List.of(janeId)));

        // The landing page's switcher: her accounts, and a switch that replaces the page's cookie.
        var landing = given().cookie("gatehouse_session", cookieA).get("/").then().statusCode(200).extract();
        org.jsoup.nodes.Document home = org.jsoup.Jsoup.parse(landing.asString());
        assertEquals(List.of(s.b(), s.a()), home.select("#accounts li[data-account]").eachAttr("data-account"), "by code");
        var pageSwitch = given().redirects().follow(false).cookie("gatehouse_session", cookieA).cookies(landing.cookies())
                .contentType("application/x-www-form-urlencoded").formParam("csrf", home.select("#accounts input[name=csrf]").first().val())
                .formParam("org", s.b()).post("/account").then().statusCode(303).extract();
        given().cookie("gatehouse_session", pageSwitch.cookie("gatehouse_session")).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", s.b());

        // She switches to B without signing in again: the same session, B's org and roles.
        var switched = given().auth().oauth2(cookieA).contentType("application/json").body(Map.of("org", s.b()))
                .post("/v1/me/account").then().statusCode(200).body("org", equalTo(s.b())).extract();
        String tokenB = switched.path("access_token");
        given().auth().oauth2(tokenB).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", s.b()).header("X-Auth-Roles", "admin");
        given().auth().oauth2(tokenB).get("/v1/me/accounts").then().log().ifValidationFails().body("data.find { it.current }.org", equalTo(s.b()));
        given().auth().oauth2(tokenB).contentType("application/json").body(Map.of("org", s.parent()))
                .post("/v1/me/account").then().statusCode(403);
        // As B's admin she manages B, not A.
        given().auth().oauth2(tokenB).get("/v1/orgs/" + s.b() + "/members").then().statusCode(200);
        given().auth().oauth2(tokenB).get("/v1/orgs/" + s.a() + "/members").then().statusCode(404);

        // A new sign-in without naming an account lands where she was last: B.
        var again = signInWithoutAccount(s, email);
        given().cookie("gatehouse_session", again.cookie("gatehouse_session")).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", s.b());

        // Removed from B: her sessions in B end; A goes on.
        Api.as(adminB).delete("/v1/orgs/" + s.b() + "/members/" + janeId).then().statusCode(204);
        given().auth().oauth2(tokenB).get("/v1/auth/verify").then().statusCode(401);
        given().cookie("gatehouse_session", again.cookie("gatehouse_session")).get("/v1/auth/verify").then().statusCode(401);
        assertEquals(403, signIn(s, s.b(), email).statusCode());
    }

    /** The parent's own SP-initiated start, with no account named. */
    private static ExtractableResponse<Response> signInWithoutAccount(Setup s, String email) {
        var done = answer(s, given().redirects().follow(false).get("/v1/saml/" + s.parent()).then().statusCode(303).extract(), email);
        assertEquals(303, done.statusCode(), done.asString());
        return done;
    }

    /** A sign-in naming {@code login} (an account), the IdP sending these groups. */
    private static ExtractableResponse<Response> signInWithGroups(Setup s, String login, String email, List<String> groups) {
        URI saml = URI.create(given().redirects().follow(false).queryParam("login", login).get("/v1/sso/start").then().statusCode(303)
                .extract().header("Location"));
        return answer(s, given().urlEncodingEnabled(false).redirects().follow(false).get(saml.getRawPath() + "?" + saml.getRawQuery())
                .then().statusCode(303).extract(), email, groups);
    }

    /** An IdP group can mean "member of acme-eu": a mapping that names the account gives the membership, and its loss ends it. */
    @Test
    void aGroupMappingThatNamesAnAccountGivesAMembershipThere() throws Exception {
        Setup s = setup();
        String before = Db.snapshot();
        operator().contentType("application/json").body(Map.of("mappings", List.of(Map.of("group", "EU-Staff", "roles", List.of("member"),
                "account", "no-such-account")))).put("/v1/orgs/" + s.parent() + "/role-mappings").then().statusCode(400)
                .body("errors[0].field", equalTo("mappings[0].account"));
        assertEquals(before, Db.snapshot());
        operator().contentType("application/json").body(Map.of("mappings", List.of(
                        Map.of("group", "EU-Staff", "roles", List.of("member"), "account", s.b()),
                        Map.of("group", "EU-Staff", "roles", List.of("viewer")))))
                .put("/v1/orgs/" + s.parent() + "/role-mappings").then().statusCode(200)
                .body("mappings.account", equalTo(java.util.Arrays.asList(null, s.b())));
        String email = "eu-" + s.parent().substring(5) + "@example.com";
        var inB = signInWithGroups(s, s.b(), email, List.of("EU-Staff"));
        assertEquals(303, inB.statusCode(), inB.asString());
        given().cookie("gatehouse_session", inB.cookie("gatehouse_session")).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", s.b()).header("X-Auth-Roles", "member");
        // Out of the group at the next sign-in: the membership it gave is gone.
        assertEquals(303, signInWithGroups(s, s.a(), email, List.of()).statusCode());
        assertEquals(403, signInWithGroups(s, s.b(), email, List.of()).statusCode());
    }

    /** The mobile app signs in to an account it names: its code, its tokens and their refresh carry the account. */
    @Test
    void mobileTokensAndTheirRefreshCarryTheAccount() throws Exception {
        Setup s = setup();
        String email = "max-" + s.parent().substring(5) + "@example.com";
        assertEquals(303, signIn(s, s.a(), email).statusCode());
        Api.as(Api.adminOf(s.b())).body(Map.of("user", email, "roles", List.of("viewer"))).post("/v1/orgs/" + s.b() + "/members")
                .then().statusCode(201);
        String verifier = "v".repeat(43) + s.parent().substring(5);
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest.getInstance("SHA-256")
                .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        String redirect = "com.example.app:/oauth/callback";
        var start = given().redirects().follow(false).queryParam("login", s.b()).queryParam("client_id", "mobile")
                .queryParam("redirect_uri", redirect).queryParam("code_challenge", challenge).queryParam("code_challenge_method", "S256")
                .queryParam("state", "st-1").get("/v1/sso/start").then().statusCode(303).extract();
        URI saml = URI.create(start.header("Location"));
        assertTrue(saml.getRawQuery().contains("account=" + s.b()), saml.toString());
        var atIdp = given().urlEncodingEnabled(false).redirects().follow(false).get(saml.getRawPath() + "?" + saml.getRawQuery())
                .then().statusCode(303).extract();
        var back = answer(s, atIdp, email);
        assertEquals(303, back.statusCode(), back.asString());
        String location = back.header("Location");
        assertTrue(location.startsWith(redirect + "?code="), location);
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state="));
        var tokens = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("code_verifier", verifier).formParam("redirect_uri", redirect)
                .formParam("client_id", "mobile").post("/v1/token").then().statusCode(200).extract();
        given().auth().oauth2(tokens.<String>path("access_token")).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", s.b()).header("X-Auth-Roles", "viewer");
        String refreshed = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "refresh_token")
                .formParam("refresh_token", tokens.<String>path("refresh_token")).formParam("client_id", "mobile").post("/v1/token")
                .then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(refreshed).get("/v1/auth/verify").then().statusCode(200).header("X-Auth-Org", s.b());
    }

    @Test
    void anAccountSharesItsParentsSsoEnforcementAndBothAdminPagesShowTheLink() {
        Setup s = setup();
        String adminA = Api.adminOf(s.a());
        String adminP = Api.adminOf(s.parent());
        String pageA = given().cookie("gatehouse_session", adminA).get("/admin/sso").then().statusCode(200).extract().asString();
        assertTrue(pageA.contains("id=\"sso-parent\"") && pageA.contains(s.parent()), "the account's page names its parent");
        String pageP = given().cookie("gatehouse_session", adminP).get("/admin/sso").then().statusCode(200).extract().asString();
        assertTrue(pageP.contains("id=\"sso-accounts\"") && pageP.contains(s.a()) && pageP.contains(s.b()), "the parent's page names its accounts");
        operator().get("/v1/orgs/" + s.parent() + "/accounts").then().statusCode(200)
                .body("data.find { it.is_default }.code", equalTo(s.a()));

        // The parent enforces SSO: the account's own password people are refused too, and their sessions end.
        String local = Api.newCode("local");
        Api.createUser(s.a(), local);
        String passwordSession = given().contentType("application/json").body(Map.of("username", local, "password", Api.PASSWORD))
                .post("/v1/login").then().statusCode(200).extract().path("access_token");
        operator().body(Map.of("sso_enforced", true)).patch("/v1/orgs/" + s.parent()).then().statusCode(200);
        given().contentType("application/json").body(Map.of("username", local, "password", Api.PASSWORD)).post("/v1/login")
                .then().statusCode(403);
        given().auth().oauth2(passwordSession).get("/v1/auth/verify").then().statusCode(401);
        given().auth().oauth2(adminA).get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void linkingIsForTheOperatorOrAnAdminOfBothAndTheAccountsPageShowsTheParentsButtons() {
        String parent = Api.createOrg("prnt");
        String account = Api.createOrg("acct");
        String other = Api.createOrg("solo");
        Api.createAzureConnection(other, "secret-of-solo");
        String adminOfAccount = Api.adminOf(account);
        String before = Db.snapshot();
        Api.as(adminOfAccount).body(Map.of("org", parent)).put("/v1/orgs/" + account + "/sso-parent").then().statusCode(403);
        operator().body(Map.of("org", account)).put("/v1/orgs/" + account + "/sso-parent").then().statusCode(400);
        operator().body(Map.of("org", "no-such-org")).put("/v1/orgs/" + account + "/sso-parent").then().statusCode(400);
        operator().body(Map.of("org", parent)).put("/v1/orgs/" + other + "/sso-parent").then().statusCode(409)
                .body("detail", Matchers.containsString("connections of its own"));
        assertEquals(before, Db.snapshot());

        String connection = Api.createAzureConnection(parent, "secret-of-parent");
        operator().body(Map.of("org", parent)).put("/v1/orgs/" + account + "/sso-parent").then().statusCode(200);
        // An account gets no connections of its own while linked.
        String linked = Db.snapshot();
        operator().body(Map.of("type", "azure-ad", "tenant_id", java.util.UUID.randomUUID().toString(), "client_id", "x", "client_secret", "y"))
                .post("/v1/orgs/" + account + "/connections").then().statusCode(409);
        assertEquals(linked, Db.snapshot());
        // No chains: the parent cannot become an account, nor link to an account.
        operator().body(Map.of("org", other)).put("/v1/orgs/" + parent + "/sso-parent").then().statusCode(409);
        operator().body(Map.of("org", account)).put("/v1/orgs/" + other + "/sso-parent").then().statusCode(409);
        String page = given().get("/o/" + account).then().statusCode(200).extract().asString();
        assertTrue(page.contains("/v1/oidc/" + parent + "/login?connection=" + connection + "&amp;account=" + account), page);
        operator().get("/v1/orgs/" + account).then().body("sso_parent_id", Matchers.notNullValue());

        // Unlinked: the sharing ends cleanly.
        operator().delete("/v1/orgs/" + account + "/sso-parent?keep_users_as=pending_sso").then().statusCode(200).body("kept", equalTo(0));
        operator().get("/v1/orgs/" + account).then().body("sso_parent_id", Matchers.nullValue());
        assertTrue(!given().get("/o/" + account).then().extract().asString().contains("/v1/oidc/" + parent));
    }

    @Test
    void unlinkingKeepsTheAccountsPeopleAndEndsTheirSessionsThere() throws Exception {
        Setup s = setup();
        String email = "ida-" + s.parent().substring(5) + "@example.com";
        var inA = signIn(s, s.a(), email);
        String cookie = inA.cookie("gatehouse_session");
        given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(200).header("X-Auth-Org", s.a());
        String before = Db.snapshot();
        operator().delete("/v1/orgs/" + s.a() + "/sso-parent?keep_users_as=forget").then().statusCode(400);
        assertEquals(before, Db.snapshot(), "an unknown choice changes nothing");
        operator().delete("/v1/orgs/" + s.a() + "/sso-parent?keep_users_as=password").then().statusCode(200).body("kept", equalTo(1));
        given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(401);
        Object kept = Db.value("select cast(u.id as text) || ' ' || u.username || ' ' || u.auth_mode from users u join orgs o on o.id = u.org_id "
                + "where o.code = ? and u.email = ?", s.a(), email);
        String[] keptUser = kept.toString().split(" ");
        assertEquals("password", keptUser[2], "kept as a password person of the account");
        // No password works until an admin of the account sets one; then it does.
        given().contentType("application/json").body(Map.of("username", keptUser[1], "password", Api.PASSWORD)).post("/v1/login")
                .then().statusCode(401);
        operator().contentType("application/json").body(Map.of("password", "short")).put("/v1/orgs/" + s.a() + "/users/" + keptUser[0] + "/password")
                .then().statusCode(400);
        operator().contentType("application/json").body(Map.of("password", Api.PASSWORD)).put("/v1/orgs/" + s.a() + "/users/" + keptUser[0] + "/password")
                .then().statusCode(204);
        given().contentType("application/json").body(Map.of("username", keptUser[1], "password", Api.PASSWORD)).post("/v1/login")
                .then().statusCode(200);
        assertEquals(0L, Db.count("select count(*) from memberships m join orgs o on o.id = m.org_id where o.code = ?", s.a()));
        operator().delete("/v1/orgs/" + s.a() + "/sso-parent").then().statusCode(404);
    }
}
