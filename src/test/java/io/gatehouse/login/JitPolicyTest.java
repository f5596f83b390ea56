package io.gatehouse.login;

import io.gatehouse.user.User;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class JitPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private static final UUID ORG = UUID.randomUUID();

    private static ExternalIdentity identity(String email) {
        return new ExternalIdentity(ORG, UUID.randomUUID(), "oidc", "sub-1", email, "Jane", List.of(), null);
    }

    private static User user(String authMode) {
        User user = new User(UUID.randomUUID(), ORG, "jane", authMode, NOW);
        user.setEmail("jane@acme.com");
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
    void sameEmailButDisabledIsRefused() {
        User disabled = user(User.SSO);
        disabled.setStatus(User.DISABLED);
        assertEquals(LoginFailure.USER_DISABLED, refusal(JitPolicy.decide(identity("jane@acme.com"), null, disabled, Set.of(), false)));
    }
}
