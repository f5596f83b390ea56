package io.gatehouse.login;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.gatehouse.testing.Api.operator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Login completion with verified identities handed in directly, as the OIDC and SAML flows will. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LoginCompletionTest {

    private static final AttemptRecord.ClientInfo CLIENT = new AttemptRecord.ClientInfo("127.0.0.1", "test");

    @Inject
    LoginCompletion completion;

    private record Org(String code, UUID id, UUID connection) {
    }

    private static Org org(String prefix, Map<String, Object> settings) {
        String code = Api.createOrg(prefix);
        if (!settings.isEmpty()) {
            operator().body(settings).patch("/v1/orgs/" + code).then().statusCode(200);
        }
        UUID id = UUID.fromString(operator().get("/v1/orgs/" + code).then().extract().path("id"));
        UUID connection = UUID.fromString(Api.createAzureConnection(code, "s"));
        return new Org(code, id, connection);
    }

    private static ExternalIdentity person(Org org, String subject, String email, String name) {
        return new ExternalIdentity(org.id, org.connection, "oidc", subject, email, name, List.of(), "idp-session-1", true, false);
    }

    private CompletedLogin signIn(ExternalIdentity identity) {
        return completion.complete(identity, new Delivery.Browser(null), CLIENT);
    }

    private LoginFailure refused(ExternalIdentity identity) {
        return assertThrows(LoginRefusedException.class, () -> signIn(identity)).reason();
    }

    private static long users(Org org) {
        return Db.count("select count(*) from users where org_id = ?", org.id);
    }

    @Test
    void firstLoginCreatesAnSsoUserWithTheDefaultRole() {
        Org org = org("jit", Map.of("jit_default_role", "worker"));
        String local = Api.newCode("Jane");
        CompletedLogin login = signIn(person(org, "sub-1", local + "@Example.com", "Jane Doe"));
        // example.com is not a domain the org verified: the name is in the org's own part of the namespace.
        assertEquals(org.code + "+" + local.toLowerCase() + ".example.com", Db.value("select username from users where id = ?", login.userId()));
        assertEquals(local.toLowerCase() + "@example.com", Db.value("select email from users where id = ?", login.userId()));
        assertEquals("sso", Db.value("select auth_mode from users where id = ?", login.userId()));
        assertEquals("{worker}", Db.value("select roles::text from users where id = ?", login.userId()));
        assertEquals(1L, Db.count("select count(*) from identity_links where user_id = ? and subject = 'sub-1'", login.userId()));
        assertEquals("sso", Db.value("select amr from sessions where id = ?", login.sessionId()));
        assertEquals("idp-session-1", Db.value("select idp_session_ref from sessions where id = ?", login.sessionId()));
        assertEquals(org.connection, Db.value("select connection_id from sessions where id = ?", login.sessionId()));
        assertEquals("success", Db.value("select outcome from login_attempts where id = ?", login.attemptId()));
        assertNotNull(login.cookieValue());
    }

    @Test
    void aJitUserAtAVerifiedDomainIsNamedByTheirEmail() {
        String domain = Api.newCode("jd") + ".example.org";
        Org org = org("jitdomain", Map.of("domains", List.of(domain)));
        CompletedLogin login = signIn(person(org, "sub-1", "Jane@" + domain, "Jane"));
        assertEquals("jane@" + domain, Db.value("select username from users where id = ?", login.userId()));
    }

    @Test
    void secondLoginFindsTheLinkAndRefreshesTheProfile() {
        Org org = org("relogin", Map.of());
        CompletedLogin first = signIn(person(org, "sub-1", "jane@example.com", "Jane"));
        CompletedLogin second = signIn(person(org, "sub-1", "jane.doe@example.com", "Jane Doe"));
        assertEquals(first.userId(), second.userId());
        assertEquals("Jane Doe", Db.value("select display_name from users where id = ?", first.userId()));
        assertEquals("jane.doe@example.com", Db.value("select email from users where id = ?", first.userId()));
        assertEquals(1L, users(org));
    }

    @Test
    void convertedPasswordUserIsLinkedByEmail() {
        Org org = org("convert", Map.of());
        String username = Api.newCode("pw");
        String id = Api.createUser(org.code, username, "admin");
        operator().post("/v1/orgs/" + org.code + "/users/" + id + "/convert-to-sso").then().statusCode(200);
        CompletedLogin login = signIn(person(org, "sub-9", username + "@example.com", null));
        assertEquals(id, login.userId().toString());
        assertEquals("{admin}", Db.value("select roles::text from users where id = ?", login.userId()));
    }

    /** The same person, but their IdP did not verify the email (generic OIDC without {@code email_verified: true}). */
    private static ExternalIdentity unverified(Org org, String subject, String email, boolean orgDomainVouches) {
        return new ExternalIdentity(org.id, org.connection, "oidc", subject, email, "Mallory", List.of(), null, false, orgDomainVouches);
    }

    @Test
    void anUnverifiedEmailOfAnExistingAdminIsNeverLinkedToThem() {
        Org org = org("takeover", Map.of());
        String username = Api.newCode("boss");
        String admin = Api.createUser(org.code, username, "admin");
        operator().post("/v1/orgs/" + org.code + "/users/" + admin + "/convert-to-sso").then().statusCode(200);
        String adminBefore = Db.value("select row(u.*)::text from users u where id = ?::uuid", admin).toString();

        CompletedLogin login = signIn(unverified(org, "attacker-sub", username + "@example.com", false));
        assertNotEquals(admin, login.userId().toString(), "a new user, linked by subject only");
        assertEquals("{member}", Db.value("select roles::text from users where id = ?", login.userId()));
        assertEquals(false, Db.value("select email_verified from users where id = ?", login.userId()));
        assertEquals(adminBefore, Db.value("select row(u.*)::text from users u where id = ?::uuid", admin).toString());
        assertEquals(0L, Db.count("select count(*) from identity_links where user_id = ?::uuid", admin));
        assertTrue(Db.value("select detail::text from login_attempts where id = ?", login.attemptId()).toString()
                .contains("linked by subject only"));

        // The unverified address found nobody, and now finds nobody either: the admin signing in with a
        // verified email is linked to themselves, not to the newcomer who claimed their address first.
        CompletedLogin real = signIn(person(org, "admin-sub", username + "@example.com", "Boss"));
        assertEquals(admin, real.userId().toString());
    }

    @Test
    void anUnverifiedEmailCannotPassTheOrgsDomainsAndChangesNothing() {
        Org org = org("unverifieddomain", Map.of("domains", List.of(Api.newCode("d") + ".example.com")));
        String domain = ((List<?>) operator().get("/v1/orgs/" + org.code).then().extract().path("domains")).get(0).toString();
        String before = Db.snapshot();
        assertEquals(LoginFailure.EMAIL_NOT_VERIFIED, refused(unverified(org, "sub-x", "jane@" + domain, false)));
        assertEquals(before, Db.snapshot());
        // Where the protocol lets the org's verified domain vouch for it (Entra ID, SAML), it signs in.
        CompletedLogin login = signIn(unverified(org, "sub-y", "jane@" + domain, true));
        assertEquals(true, Db.value("select email_verified from users where id = ?", login.userId()));
    }

    @Test
    void unconvertedPasswordUserIsRefusedAndNothingIsCreated() {
        Org org = org("unconverted", Map.of());
        String username = Api.newCode("pw");
        Api.createUser(org.code, username, "member");
        String before = Db.snapshot();
        LoginRefusedException refusal = assertThrows(LoginRefusedException.class,
                () -> signIn(person(org, "sub-2", username + "@example.com", null)));
        assertEquals(LoginFailure.PASSWORD_USER_NOT_CONVERTED, refusal.reason());
        assertEquals(before, Db.snapshot());
        assertEquals("password_user_not_converted", Db.value("select reason from login_attempts where id = ?", refusal.attemptId()));
    }

    @Test
    void unconvertedPasswordUserIsLinkedWhenTheOrgOptsIn() {
        Org org = org("optin", Map.of("link_password_users", true));
        String username = Api.newCode("pw");
        String id = Api.createUser(org.code, username, "member");
        assertEquals(id, signIn(person(org, "sub-3", username + "@example.com", null)).userId().toString());
    }

    @Test
    void disabledUserIsRefused() {
        Org org = org("disabled", Map.of());
        CompletedLogin first = signIn(person(org, "sub-1", "jane@example.com", null));
        operator().body(Map.of("status", "disabled")).patch("/v1/orgs/" + org.code + "/users/" + first.userId()).then().statusCode(200);
        assertEquals(LoginFailure.USER_DISABLED, refused(person(org, "sub-1", "jane@example.com", null)));
    }

    @Test
    void emailOutsideTheOrgsDomainsIsRefused() {
        String domain = Api.newCode("acme") + ".com";
        String code = Api.newCode("domains");
        operator().body(Map.of("code", code, "name", "D", "domains", List.of(domain))).post("/v1/orgs").then().statusCode(201);
        UUID id = UUID.fromString(operator().get("/v1/orgs/" + code).then().extract().path("id"));
        Org org = new Org(code, id, UUID.fromString(Api.createAzureConnection(code, "s")));
        assertEquals(LoginFailure.EMAIL_DOMAIN_NOT_ALLOWED, refused(person(org, "sub-1", "jane@gmail.com", null)));
        assertEquals(0L, users(org));
        signIn(person(org, "sub-2", "jane@" + domain, null));
        assertEquals(1L, users(org));
    }

    @Test
    void identityWithoutEmailIsRefused() {
        Org org = org("noemail", Map.of());
        assertEquals(LoginFailure.EMAIL_MISSING, refused(person(org, "sub-1", null, null)));
    }

    @Test
    void takenUsernameGetsASuffix() {
        String domain = Api.newCode("sfx") + ".example.org";
        Org org = org("suffix", Map.of("domains", List.of(domain)));
        String email = Api.newCode("dup") + "@" + domain;
        operator().body(Map.of("username", email, "password", Api.PASSWORD)).post("/v1/orgs/" + org.code + "/users")
                .then().statusCode(201);
        CompletedLogin jit = signIn(person(org, "sub-1", email, null));
        assertEquals(email + "-2", Db.value("select username from users where id = ?", jit.userId()));
    }

    @Test
    void disabledConnectionRefusesSignIn() {
        Org org = org("conndisabled", Map.of());
        operator().body(Map.of("enabled", false)).patch("/v1/orgs/" + org.code + "/connections/" + org.connection).then().statusCode(200);
        assertEquals(LoginFailure.CONNECTION_UNAVAILABLE, refused(person(org, "sub-1", "jane@example.com", null)));
    }

    @Test
    void identityOfOrgAsConnectionNeverLandsInOrgB() {
        Org a = org("cross-a", Map.of());
        Org b = org("cross-b", Map.of());
        ExternalIdentity forged = new ExternalIdentity(b.id, a.connection, "oidc", "sub-1", "jane@example.com", null, List.of(), null, true, false);
        assertEquals(LoginFailure.CONNECTION_UNAVAILABLE, refused(forged));
        assertEquals(0L, users(b));
    }

    @Test
    void concurrentFirstLoginsCreateOneUser() throws Exception {
        Org org = org("race", Map.of());
        ExternalIdentity identity = person(org, "sub-race", "race@example.com", null);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<UUID>> tasks = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                tasks.add(() -> signIn(identity).userId());
            }
            Set<UUID> users = new java.util.HashSet<>();
            for (Future<UUID> result : pool.invokeAll(tasks)) {
                users.add(result.get());
            }
            assertEquals(1, users.size());
        } finally {
            pool.shutdown();
        }
        assertEquals(1L, users(org));
        assertEquals(1L, Db.count("select count(*) from identity_links where connection_id = ?", org.connection));
        assertEquals(16L, Db.count("select count(*) from sessions where org_id = ?", org.id));
    }

    @Test
    void browserGoesToAnAllowedReturnUrlOnly() {
        Org org = org("returnto", Map.of("allowed_return_urls", List.of("https://crm.example.org/")));
        ExternalIdentity jane = person(org, "sub-1", "jane@example.com", null);
        assertEquals("https://crm.example.org/deals", completion.complete(jane, new Delivery.Browser("https://crm.example.org/deals"), CLIENT).redirect().toString());
        assertEquals("https://app.example.com/x", completion.complete(jane, new Delivery.Browser("https://app.example.com/x"), CLIENT).redirect().toString());
        assertEquals("/", completion.complete(jane, new Delivery.Browser("https://evil.example.com/"), CLIENT).redirect().toString());
        assertEquals("/", completion.complete(jane, new Delivery.Browser("//evil.example.com/"), CLIENT).redirect().toString());
    }

    @Test
    void clientGetsACodeOnItsRedirectUri() {
        Org org = org("mobile", Map.of());
        CompletedLogin login = completion.complete(person(org, "sub-1", "jane@example.com", null),
                new Delivery.Client("mobile", "com.example.app:/oauth/callback", "xyz", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), CLIENT);
        String redirect = login.redirect().toString();
        assertTrue(redirect.startsWith("com.example.app:/oauth/callback?code="), redirect);
        assertTrue(redirect.endsWith("&state=xyz"), redirect);
        assertNull(login.cookieValue());
    }

    @Test
    void unregisteredRedirectUriCreatesNothing() {
        Org org = org("badredirect", Map.of());
        String before = Db.snapshot();
        var refused = assertThrows(io.gatehouse.platform.ApiException.class, () -> completion.complete(person(org, "sub-1", "jane@example.com", null),
                new Delivery.Client("mobile", "https://evil.example.com/cb", null, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"), CLIENT));
        assertEquals(400, refused.status());
        assertEquals(List.of(new io.gatehouse.platform.Problem.FieldError("redirect_uri", "is not registered for this client")),
                refused.toProblem().errors());
        assertEquals(before, Db.snapshot());
    }
}
