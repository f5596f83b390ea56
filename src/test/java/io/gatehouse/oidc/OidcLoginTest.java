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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
        // The same answer as a SAML sign-in's (one place builds both): never cached.
        assertEquals("no-store", last.headers().firstValue("Cache-Control").orElseThrow());
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

    @jakarta.inject.Inject
    io.quarkus.oidc.runtime.TenantConfigBean tenants;

    @Test
    void anEditedConnectionSignsInThroughItsNewIdpAndKeepsOneTenant() throws Exception {
        String before = "idp-before-" + UUID.randomUUID();
        String after = "idp-after-" + UUID.randomUUID();
        String org = oidcOrg(before);
        String connection = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].id");
        String orgId = operator().get("/v1/orgs/" + org).then().extract().path("id");
        String tenantId = OidcTenantConfigs.PREFIX + connection + "-" + orgId;
        given().redirects().follow(false).get("/v1/oidc/" + org + "/login").then().statusCode(302)
                .header("Location", startsWith(idp.issuerUrl(before).toString()));
        var first = tenants.getDynamicTenant(tenantId);
        assertNotNull(first, "the connection's tenant");

        // Edited many times: each edit replaces the connection's one tenant (a fresh discovery of the new issuer).
        for (int i = 0; i < 5; i++) {
            operator().body(Map.of("issuer", idp.issuerUrl(i % 2 == 0 ? after : before).toString()))
                    .patch("/v1/orgs/" + org + "/connections/" + connection).then().statusCode(200);
            given().redirects().follow(false).get("/v1/oidc/" + org + "/login").then().statusCode(302)
                    .header("Location", startsWith(idp.issuerUrl(i % 2 == 0 ? after : before).toString()));
        }
        var last = tenants.getDynamicTenant(tenantId);
        assertNotEquals(first, last, "replaced, not updated in place");
        assertTrue(last.getOidcTenantConfig().authServerUrl().orElseThrow().contains(after));
        // Unchanged, the tenant is reused as it is.
        given().redirects().follow(false).get("/v1/oidc/" + org + "/login").then().statusCode(302);
        assertEquals(last, tenants.getDynamicTenant(tenantId));

        nextLogin(after, "subject-edited", Map.of("email", Api.newCode("ed") + "@example.com"));
        TestBrowser browser = new TestBrowser(gatehouse());
        browser.follow(gatehouse() + "/v1/sso/start?login=" + org);
        assertEquals(org, orgOfCookie(browser.setCookie("gatehouse_session")));
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

    /** An org with an Azure AD connection whose discovery points at the mock issuer named after the tenant. */
    static String azureOrg(String tenant) {
        String org = Api.createOrg("azure");
        operator().body(Map.of("type", "azure-ad", "tenant_id", tenant, "client_id", UUID.randomUUID().toString(),
                        "client_secret", "secret", "discovery_url", idp.wellKnownUrl(tenant).toString()))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        return org;
    }

    @Test
    void azureSubjectIsOidPlusTid() throws Exception {
        String tenant = UUID.randomUUID().toString();
        String org = azureOrg(tenant);
        String email = Api.newCode("entra") + "@example.com";
        nextLogin(tenant, "pairwise-sub", Map.of("tid", tenant, "oid", "object-1", "preferred_username", email, "name", "E"));
        TestBrowser browser = new TestBrowser(gatehouse());
        browser.follow(gatehouse() + "/v1/sso/start?login=" + org + "&return_to=https%3A%2F%2Fapp.example.com%2F");
        assertEquals(org, orgOfCookie(browser.setCookie("gatehouse_session")));
        assertEquals(1L, Db.count("select count(*) from identity_links l join users u on u.id = l.user_id where u.email = ? and l.subject = ?",
                email, "object-1:" + tenant));
    }

    /** A converted (SSO) admin of the org with this email; returns their id. */
    private static String ssoAdmin(String org, String username) {
        String id = Api.createUser(org, username, "admin");
        operator().post("/v1/orgs/" + org + "/users/" + id + "/convert-to-sso").then().statusCode(200);
        return id;
    }

    @Test
    void anUnverifiedEmailOfAnAdminSignsInAsSomeoneNewNeverAsTheAdmin() throws Exception {
        // Generic OIDC saying email_verified: false, and Entra ID without xms_edov (its email is unverified
        // and the org has verified no domain): both name an existing admin's email.
        String issuer = "idp-" + UUID.randomUUID();
        String tenant = UUID.randomUUID().toString();
        for (String org : List.of(oidcOrg(issuer), azureOrg(tenant))) {
            String username = Api.newCode("boss");
            String email = username + "@example.com";
            String admin = ssoAdmin(org, username);
            String adminBefore = Db.value("select row(u.*)::text from users u where id = ?::uuid", admin).toString();
            if (org.startsWith("oidc")) {
                nextLogin(issuer, "attacker", Map.of("email", email, "email_verified", false));
            } else {
                nextLogin(tenant, "attacker", Map.of("tid", tenant, "oid", "attacker-oid", "email", email));
            }
            TestBrowser browser = new TestBrowser(gatehouse());
            assertEquals(303, browser.follow(gatehouse() + "/v1/sso/start?login=" + org + "&return_to=https%3A%2F%2Fapp.example.com%2F").statusCode());
            String cookie = browser.setCookie("gatehouse_session");
            String signedInAs = given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().statusCode(200)
                    .extract().header("X-Auth-User-Id");
            assertNotEquals(admin, signedInAs, org);
            assertEquals(0L, Db.count("select count(*) from identity_links where user_id = ?::uuid", admin));
            assertEquals(adminBefore, Db.value("select row(u.*)::text from users u where id = ?::uuid", admin).toString());
            assertEquals("{member}", Db.value("select roles::text from users where id = ?::uuid", signedInAs));
            assertTrue(Db.value("select detail::text from login_attempts a join orgs o on o.id = a.org_id where o.code = ? "
                    + "and a.outcome = 'success'", org).toString().contains("linked by subject only"));
        }
    }

    @Test
    void aVerifiedEmailLinksTheConvertedUser() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        String username = Api.newCode("conv");
        String admin = ssoAdmin(org, username);
        nextLogin(issuer, "real", Map.of("email", username + "@example.com", "email_verified", true));
        TestBrowser browser = new TestBrowser(gatehouse());
        browser.follow(gatehouse() + "/v1/sso/start?login=" + org + "&return_to=https%3A%2F%2Fapp.example.com%2F");
        assertEquals(admin, given().cookie("gatehouse_session", browser.setCookie("gatehouse_session")).get("/v1/auth/verify")
                .then().statusCode(200).extract().header("X-Auth-User-Id"));
    }

    @Test
    void azureTokenOfAnotherTenantIsRefused() throws Exception {
        String tenant = UUID.randomUUID().toString();
        String org = azureOrg(tenant);
        String email = Api.newCode("other") + "@example.com";
        nextLogin(tenant, "s", Map.of("tid", UUID.randomUUID().toString(), "oid", "o", "preferred_username", email));
        TestBrowser browser = new TestBrowser(gatehouse());
        HttpResponse<String> last = browser.follow(gatehouse() + "/v1/sso/start?login=" + org);
        assertEquals(403, last.statusCode());
        assertTrue(last.body().contains("another Microsoft Entra tenant"), last.body());
        assertEquals(0L, Db.count("select count(*) from users where email = ?", email));
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(1L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id where o.code = ? and a.reason = 'tenant_mismatch'", org));
    }

    @Test
    void mobileAppGetsACodeAndTradesItWithPkce() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        nextLogin(issuer, "mobile-subject", Map.of("email", Api.newCode("m") + "@example.com"));
        String verifier = "verifier-" + UUID.randomUUID() + UUID.randomUUID();
        String challenge = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.security.MessageDigest
                .getInstance("SHA-256").digest(verifier.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        TestBrowser app = new TestBrowser(gatehouse());
        HttpResponse<String> last = app.follow(gatehouse() + "/v1/sso/start?login=" + org + "&client_id=mobile"
                + "&redirect_uri=com.example.app%3A%2Foauth%2Fcallback&state=s1&code_challenge_method=S256&code_challenge=" + challenge);
        String location = last.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("com.example.app:/oauth/callback?code="), location);
        assertTrue(location.endsWith("&state=s1"), location);
        String code = location.substring(location.indexOf("code=") + 5, location.indexOf("&state="));
        String access = given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "authorization_code")
                .formParam("code", code).formParam("code_verifier", verifier).formParam("client_id", "mobile")
                .formParam("redirect_uri", "com.example.app:/oauth/callback").post("/v1/token")
                .then().statusCode(200).extract().path("access_token");
        Api.as(access).get("/v1/me").then().statusCode(200).body("org.code", equalTo(org));
    }

    @Test
    void plainChallengeMethodIsRefusedAtStart() {
        String org = oidcOrg("idp-" + UUID.randomUUID());
        given().accept("application/json").queryParam("login", org).queryParam("client_id", "mobile")
                .queryParam("redirect_uri", "com.example.app:/oauth/callback").queryParam("code_challenge", "x".repeat(43))
                .queryParam("code_challenge_method", "plain").get("/v1/sso/start")
                .then().statusCode(400).body("errors.field", hasItem("code_challenge_method"));
    }

    @Test
    void unregisteredRedirectUriIsRefusedAtStart() {
        String org = oidcOrg("idp-" + UUID.randomUUID());
        given().accept("application/json").queryParam("login", org).queryParam("client_id", "mobile")
                .queryParam("redirect_uri", "https://evil.example.com/cb").queryParam("code_challenge", "x".repeat(43))
                .queryParam("code_challenge_method", "S256").get("/v1/sso/start")
                .then().statusCode(400).body("errors.field", hasItem("redirect_uri"));
    }

    @Test
    void disabledConnectionCannotBeStarted() {
        String org = oidcOrg("idp-" + UUID.randomUUID());
        String id = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].id");
        operator().body(Map.of("enabled", false)).patch("/v1/orgs/" + org + "/connections/" + id).then().statusCode(200);
        given().queryParam("login", org).get("/v1/sso/start").then().statusCode(404);
    }

    @Test
    void idpErrorIsLoggedAndExplained() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        TestBrowser browser = new TestBrowser(gatehouse());
        String state = browser.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + org);
        long before = Db.count("select count(*) from users");
        HttpResponse<String> last = browser.follow(gatehouse() + "/v1/callback?error=access_denied&state=" + state);
        assertEquals(403, last.statusCode(), last.body());
        assertTrue(last.body().contains("Reference for your administrator"), last.body());
        assertEquals(before, Db.count("select count(*) from users"));
    }

    @Test
    void stateMismatchCreatesNothing() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        TestBrowser browser = new TestBrowser(gatehouse());
        browser.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + org);
        String before = Db.snapshot();
        int hops = browser.hops().size();
        // A forged state, and none at all: each ends at once on the error page, never a fresh trip to the IdP.
        for (String query : List.of("code=forged&state=" + UUID.randomUUID(), "code=forged")) {
            HttpResponse<String> last = browser.follow(gatehouse() + "/v1/callback?" + query);
            assertEquals(401, last.statusCode(), query);
            String attempt = last.body().replaceAll("(?s).*<code id=\"attempt\">([^<]+)</code>.*", "$1");
            assertEquals("state_invalid", Db.value("select reason from login_attempts where id = ?::uuid", attempt), query);
        }
        assertEquals(hops + 2, browser.hops().size(), "no redirect was followed");
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(before, Db.snapshot());
    }

    /** The IdP's answer to a flow started for the org: the callback URL it sends the browser to. */
    private static String callbackFromIdp(TestBrowser browser, String org) throws Exception {
        browser.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + org + "&return_to=https%3A%2F%2Fapp.example.com%2F");
        return browser.get(browser.idpRedirect()).headers().firstValue("Location").orElseThrow();
    }

    @Test
    void anAuthorizationResponseNamingAnotherIssuerIsRefusedBeforeItsCodeIsUsed() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        String email = Api.newCode("mix") + "@example.com";
        // No login is queued at the IdP: the refused answer's code must never reach its token endpoint.
        TestBrowser browser = new TestBrowser(gatehouse());
        String callback = callbackFromIdp(browser, org);
        String before = Db.snapshot();
        String otherIdp = idp.issuerUrl("idp-of-another-org").toString();
        HttpResponse<String> last = browser.follow(callback + "&iss=" + java.net.URLEncoder.encode(otherIdp, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(401, last.statusCode(), last.body());
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(before, Db.snapshot());
        Object detail = Db.value("select detail::text from login_attempts a join orgs o on o.id = a.org_id where o.code = ? "
                + "and a.reason = 'issuer_mismatch'", org);
        assertTrue(detail.toString().contains(otherIdp), String.valueOf(detail));

        // The same IdP naming itself is fine.
        nextLogin(issuer, "named-right", Map.of("email", email, "email_verified", true));
        TestBrowser honest = new TestBrowser(gatehouse());
        String own = callbackFromIdp(honest, org);
        HttpResponse<String> signedIn = honest.follow(own + "&iss=" + java.net.URLEncoder.encode(idp.issuerUrl(issuer).toString(),
                java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        assertNotNull(honest.setCookie("gatehouse_session"));
    }


    @Test
    void callbackReplayedAgainstAnotherOrgsStateCreatesNothingThere() throws Exception {
        String issuerA = "idp-a-" + UUID.randomUUID();
        String issuerB = "idp-b-" + UUID.randomUUID();
        String orgA = oidcOrg(issuerA);
        String orgB = oidcOrg(issuerB);
        // The victim's browser has started a sign-in to org B ...
        TestBrowser browser = new TestBrowser(gatehouse());
        String stateB = browser.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + orgB);
        // ... and receives a code that org A's IdP issued (for org A's flow).
        TestBrowser attacker = new TestBrowser(gatehouse());
        String stateA = attacker.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + orgA);
        // Org A's own flow at org A's IdP, PKCE and all: a genuine code, bound to flow A.
        HttpResponse<String> fromIdpA = attacker.get(attacker.idpRedirect());
        assertTrue(fromIdpA.headers().firstValue("Location").orElseThrow().contains("state=" + stateA));
        String code = fromIdpA.headers().firstValue("Location").orElseThrow().replaceAll(".*[?&]code=([^&]+).*", "$1");
        String before = Db.snapshot();
        HttpResponse<String> last = browser.get(gatehouse() + "/v1/callback?code=" + code + "&state=" + stateB);
        assertEquals(401, last.statusCode());
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(before, Db.snapshot());
    }

    @Test
    void replayedCallbackSignsNobodyInAgain() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        String email = Api.newCode("replay") + "@example.com";
        nextLogin(issuer, "replayer", Map.of("email", email));
        TestBrowser browser = new TestBrowser(gatehouse());
        browser.follow(gatehouse() + "/v1/sso/start?login=" + org + "&return_to=https%3A%2F%2Fapp.example.com%2F");
        String callback = browser.hops().stream().map(h -> h.uri().toString()).filter(u -> u.contains("/v1/callback?code="))
                .findFirst().orElseThrow();
        long sessions = Db.count("select count(*) from sessions s join users u on u.id = s.user_id where u.email = ?", email);
        HttpResponse<String> replay = browser.get(callback);
        assertTrue(replay.statusCode() == 401 || replay.headers().firstValue("Location").orElse("").contains("/authorize"),
                String.valueOf(replay.statusCode()));
        assertEquals(sessions, Db.count("select count(*) from sessions s join users u on u.id = s.user_id where u.email = ?", email));
    }

    @Test
    void callbackWithoutStateCreatesNothing() throws Exception {
        String before = Db.snapshot();
        long refusals = Db.count("select count(*) from login_attempts where reason = 'state_invalid'");
        HttpResponse<String> last = new TestBrowser(gatehouse()).get(gatehouse() + "/v1/callback?code=forged");
        assertEquals(401, last.statusCode());
        assertEquals(before, Db.snapshot());
        assertEquals(refusals + 1, Db.count("select count(*) from login_attempts where reason = 'state_invalid'"));
    }

    @Test
    void gatehouseTokenDoesNotSignInThroughTheIdpPath() throws Exception {
        String org = oidcOrg("idp-" + UUID.randomUUID());
        String username = Api.newCode("pw");
        Api.createUser(org, username, "admin");
        String token = Api.login(username);
        given().redirects().follow(false).header("Authorization", "Bearer " + token).get("/v1/oidc/" + org + "/login")
                .then().statusCode(302).header("Location", containsString("/authorize"));
    }

    @Test
    void idpTokenIsNotAGatehouseToken() {
        String issuer = "idp-" + UUID.randomUUID();
        String idToken = idp.issueToken(issuer, "someone", new DefaultOAuth2TokenCallback(issuer, "someone", "JWT",
                List.of("gatehouse"), Map.of("email", "x@example.com"), 3600)).serialize();
        Api.as(idToken).get("/v1/me").then().statusCode(401);
        given().header("Authorization", "Bearer " + idToken).get("/v1/auth/verify").then().statusCode(401);
    }

    @Test
    void unknownOrgHasNoOidcLogin() {
        int status = given().redirects().follow(false).get("/v1/oidc/no-such-org/login").then().extract().statusCode();
        assertTrue(status == 401 || status == 404, String.valueOf(status));
    }

    private void refusedByTokenValidation(String issuer, String org, DefaultOAuth2TokenCallback callback) throws Exception {
        idp.enqueueCallback(callback);
        String before = Db.snapshot();
        TestBrowser browser = new TestBrowser(gatehouse());
        HttpResponse<String> last = browser.follow(gatehouse() + "/v1/sso/start?login=" + org);
        assertEquals(401, last.statusCode());
        assertTrue(last.body().contains("Reference for your administrator"), last.body());
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("id_token_invalid"),
                Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id where o.code = ?", org));
    }

    @Test
    void idTokenFromAnotherIssuerIsRefused() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        // Signed by the right IdP key; only the iss claim is someone else's.
        refusedByTokenValidation(issuer, org, new DefaultOAuth2TokenCallback(issuer, "s", "JWT", null,
                Map.of("email", Api.newCode("iss") + "@example.com", "iss", "https://evil.example.com"), 3600));
    }

    @Test
    void nonceOfAnotherRequestIsRefused() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        nextLogin(issuer, "s", Map.of("email", Api.newCode("nonce") + "@example.com"));
        TestBrowser browser = new TestBrowser(gatehouse());
        browser.startAndStopAtIdp(gatehouse() + "/v1/sso/start?login=" + org);
        // This flow's own authorization request, with only the nonce swapped: the IdP puts that nonce in the ID token.
        String authorize = browser.idpRedirect().replaceAll("nonce=[^&]+", "nonce=" + UUID.randomUUID());
        String before = Db.snapshot();
        HttpResponse<String> last = browser.follow(authorize);
        assertEquals(401, last.statusCode());
        assertEquals(null, browser.setCookie("gatehouse_session"));
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("id_token_invalid"),
                Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id where o.code = ?", org));
    }

    @Test
    void expiredClientSecretIsNamedAsTheCause() {
        String org = oidcOrg("idp-" + UUID.randomUUID());
        Db.value("update connections set client_secret_expires_at = now() - interval '1 day' "
                + "where org_id = (select id from orgs where code = ?) returning 1", org);
        given().queryParam("login", org).get("/v1/sso/start").then().statusCode(403)
                .body(containsString("client secret")).body(containsString("has expired"));
        assertEquals(List.of("client_secret_expired"),
                Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id where o.code = ?", org));
    }

    @Test
    void idTokenForAnotherAudienceIsRefused() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        // The mock sets an ID token's aud to the requesting client; a claim of the same name replaces it.
        refusedByTokenValidation(issuer, org, new DefaultOAuth2TokenCallback(issuer, "s", "JWT", null,
                Map.of("email", Api.newCode("aud") + "@example.com", "aud", "another-app"), 3600));
    }

    @Test
    void expiredIdTokenIsRefused() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        refusedByTokenValidation(issuer, org, new DefaultOAuth2TokenCallback(issuer, "s", "JWT", null,
                Map.of("email", Api.newCode("exp") + "@example.com"), -600));
    }

    @Test
    void frontChannelLogoutEndsExactlyTheMatchingSessions() throws Exception {
        String issuer = "idp-" + UUID.randomUUID();
        String org = oidcOrg(issuer);
        nextLogin(issuer, "jane", Map.of("email", Api.newCode("fc") + "@example.com", "sid", "idp-session-1"));
        nextLogin(issuer, "joe", Map.of("email", Api.newCode("fc") + "@example.com", "sid", "idp-session-2"));
        TestBrowser jane = new TestBrowser(gatehouse());
        TestBrowser joe = new TestBrowser(gatehouse());
        jane.follow(gatehouse() + "/v1/sso/start?login=" + org + "&return_to=https%3A%2F%2Fapp.example.com%2F");
        joe.follow(gatehouse() + "/v1/sso/start?login=" + org + "&return_to=https%3A%2F%2Fapp.example.com%2F");
        String janeCookie = jane.setCookie("gatehouse_session");
        String joeCookie = joe.setCookie("gatehouse_session");
        given().queryParam("iss", "https://other-issuer.example.com").queryParam("sid", "idp-session-1")
                .get("/v1/oidc/" + org + "/frontchannel-logout").then().statusCode(200);
        given().cookie("gatehouse_session", janeCookie).get("/v1/auth/verify").then().statusCode(200);
        given().queryParam("iss", idp.issuerUrl(issuer).toString()).queryParam("sid", "idp-session-1")
                .get("/v1/oidc/" + org + "/frontchannel-logout").then().statusCode(200);
        given().cookie("gatehouse_session", janeCookie).get("/v1/auth/verify").then().statusCode(401);
        given().cookie("gatehouse_session", joeCookie).get("/v1/auth/verify").then().statusCode(200);
    }
}
