package io.gatehouse.login;

import io.gatehouse.user.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class JitPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private static final UUID ORG = UUID.randomUUID();

    private static ExternalIdentity identity(String email) {
        return new ExternalIdentity(ORG, UUID.randomUUID(), "oidc", "sub-1", email, "Jane", List.of(), null, true, false);
    }

    /** An identity whose email the IdP did not verify; {@code domainVouches}: Entra ID or SAML, not generic OIDC. */
    private static ExternalIdentity unverified(String email, boolean domainVouches) {
        return new ExternalIdentity(ORG, UUID.randomUUID(), "oidc", "sub-1", email, "Jane", List.of(), null, false, domainVouches);
    }

    private static User user(String authMode) {
        User user = new User(UUID.randomUUID(), ORG, "jane", authMode, NOW);
        user.setEmail("jane@acme.com", true);
        return user;
    }

    private static LoginFailure refusal(JitPolicy.Decision decision) {
        return assertInstanceOf(JitPolicy.Refuse.class, decision).reason();
    }

    @Test
    void linkedUserSignsIn() {
        User linked = user(User.SSO);
        assertSame(linked, assertInstanceOf(JitPolicy.SignInLinked.class,
                JitPolicy.decide(identity("jane@acme.com"), linked, null, Set.of(), false)).user());
    }

    @Test
    void linkedButDisabledIsRefused() {
        User linked = user(User.SSO);
        linked.setStatus(User.DISABLED);
        assertEquals(LoginFailure.USER_DISABLED, refusal(JitPolicy.decide(identity("jane@acme.com"), linked, null, Set.of(), false)));
    }

    @Test
    void emailOutsideTheOrgsDomainsIsRefusedEvenWhenLinked() {
        assertEquals(LoginFailure.EMAIL_DOMAIN_NOT_ALLOWED,
                refusal(JitPolicy.decide(identity("jane@evil.com"), user(User.SSO), null, Set.of("acme.com"), false)));
    }

    @Test
    void emailDomainIsComparedCaseInsensitively() {
        assertInstanceOf(JitPolicy.CreateUser.class, JitPolicy.decide(identity("Jane@ACME.com"), null, null, Set.of("acme.com"), false));
    }

    @Test
    void nobodyFoundCreatesAUser() {
        assertInstanceOf(JitPolicy.CreateUser.class, JitPolicy.decide(identity("new@acme.com"), null, null, Set.of(), false));
    }

    @Test
    void unlinkedWithoutEmailIsRefused() {
        assertEquals(LoginFailure.EMAIL_MISSING, refusal(JitPolicy.decide(identity(null), null, null, Set.of(), false)));
    }

    @Test
    void sameEmailUnderSsoIsLinked() {
        User existing = user(User.SSO);
        assertSame(existing, assertInstanceOf(JitPolicy.LinkExisting.class,
                JitPolicy.decide(identity("jane@acme.com"), null, existing, Set.of(), false)).user());
    }

    @Test
    void sameEmailConvertedIsLinked() {
        User converted = user(User.PASSWORD);
        converted.setPasswordHash("x");
        converted.convertToSso(NOW);
        assertInstanceOf(JitPolicy.LinkExisting.class, JitPolicy.decide(identity("jane@acme.com"), null, converted, Set.of(), false));
    }

    @Test
    void unconvertedPasswordUserIsRefused() {
        assertEquals(LoginFailure.PASSWORD_USER_NOT_CONVERTED,
                refusal(JitPolicy.decide(identity("jane@acme.com"), null, user(User.PASSWORD), Set.of(), false)));
    }

    @Test
    void unconvertedPasswordUserIsLinkedWhenTheOrgOptsIn() {
        assertInstanceOf(JitPolicy.LinkExisting.class,
                JitPolicy.decide(identity("jane@acme.com"), null, user(User.PASSWORD), Set.of(), true));
    }

    @Test
    void anUnverifiedEmailIsNotTrustedAndAVerifiedDomainVouchesOnlyWhereTheProtocolAllows() {
        assertTrue(JitPolicy.emailTrusted(identity("jane@acme.com"), Set.of()));
        assertFalse(JitPolicy.emailTrusted(unverified("jane@acme.com", false), Set.of("acme.com")), "generic OIDC");
        assertTrue(JitPolicy.emailTrusted(unverified("jane@ACME.com", true), Set.of("acme.com")), "Entra / SAML at a verified domain");
        assertFalse(JitPolicy.emailTrusted(unverified("jane@acme.com", true), Set.of()), "no verified domain");
        assertFalse(JitPolicy.emailTrusted(unverified("jane@evil.com", true), Set.of("acme.com")));
    }

    @Test
    void anUnverifiedEmailCreatesANewUserInsteadOfLinkingTheOneWithThatEmail() {
        // The caller finds nobody by an untrusted email; even given one, the policy does not link it.
        assertInstanceOf(JitPolicy.CreateUser.class, JitPolicy.decide(unverified("jane@acme.com", false), null, user(User.SSO), Set.of(), false));
        assertInstanceOf(JitPolicy.CreateUser.class, JitPolicy.decide(unverified("jane@acme.com", true), null, null, Set.of(), false));
    }

    @Test
    void anUnverifiedEmailCannotPassTheOrgsDomainCheck() {
        assertEquals(LoginFailure.EMAIL_NOT_VERIFIED,
                refusal(JitPolicy.decide(unverified("jane@acme.com", false), null, null, Set.of("acme.com"), false)));
        assertEquals(LoginFailure.EMAIL_NOT_VERIFIED,
                refusal(JitPolicy.decide(unverified("jane@acme.com", false), user(User.SSO), null, Set.of("acme.com"), false)));
        assertInstanceOf(JitPolicy.CreateUser.class, JitPolicy.decide(unverified("jane@acme.com", true), null, null, Set.of("acme.com"), false),
                "the org's verified domain vouches for an Entra or SAML email");
    }

    @Test
    void sameEmailButDisabledIsRefused() {
        User disabled = user(User.SSO);
        disabled.setStatus(User.DISABLED);
        assertEquals(LoginFailure.USER_DISABLED, refusal(JitPolicy.decide(identity("jane@acme.com"), null, disabled, Set.of(), false)));
    }
}
