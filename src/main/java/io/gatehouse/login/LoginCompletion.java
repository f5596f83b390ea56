package io.gatehouse.login;

import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.token.AccessTokenClaims;
import io.gatehouse.token.IssuedToken;
import io.gatehouse.token.SessionService;
import io.gatehouse.user.Memberships;
import io.gatehouse.user.User;
import io.gatehouse.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriBuilder;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What every SSO sign-in ends in, whatever the protocol: the verified identity → a user (JIT
 * provisioning and linking, see {@link JitPolicy}) → a session → a cookie or a one-time code → a
 * redirect. Every attempt, good or bad, is logged.
 */
@ApplicationScoped
public class LoginCompletion {

    private final OrgService orgs;
    private final ConnectionService connections;
    private final UserService users;
    private final SessionService sessions;
    private final LoginAttemptService attempts;
    private final DeliveryPolicy delivery;
    private final io.gatehouse.directory.RoleMappings roleMappings;
    private final Memberships memberships;

    public LoginCompletion(OrgService orgs, ConnectionService connections, UserService users, SessionService sessions,
                           LoginAttemptService attempts, DeliveryPolicy delivery, io.gatehouse.directory.RoleMappings roleMappings,
                           Memberships memberships) {
        this.memberships = memberships;
        this.roleMappings = roleMappings;
        this.orgs = orgs;
        this.connections = connections;
        this.users = users;
        this.sessions = sessions;
        this.attempts = attempts;
        this.delivery = delivery;
    }

    /**
     * Signs the identity in and delivers the session.
     *
     * @throws LoginRefusedException when the JIT rules refuse the person (nothing is created then)
     */
    public CompletedLogin complete(ExternalIdentity identity, Delivery to, AttemptRecord.ClientInfo client) {
        return complete(identity, to, client, null);
    }

    /**
     * As {@link #complete(ExternalIdentity, Delivery, AttemptRecord.ClientInfo)}, keeping with the session what the
     * IdP needs to find its own session at logout (encrypted, with the session; null: nothing).
     * A sign-in is one transaction: the person, the session with its hint, and the attempt row; a refusal's
     * row is written on its own, since the refused work is rolled back.
     */
    public CompletedLogin complete(ExternalIdentity identity, Delivery to, AttemptRecord.ClientInfo client, String idpLogoutHint) {
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            Outcome signedIn = signIn(identity, to, idpLogoutHint);
            if (signedIn.refusal != null) {
                return signedIn;
            }
            return signedIn.withAttempt(attempts.recordWithSignIn(new AttemptRecord(identity.protocol(), identity.orgId(),
                    identity.connectionId(), signedIn.userId, null, identity.email(), emailNote(identity, signedIn.emailTrusted), client)));
        });
        if (outcome.refusal != null) {
            Map<String, String> detail = new java.util.LinkedHashMap<>(Map.of("subject", identity.subject()));
            detail.putAll(emailNote(identity, outcome.emailTrusted));
            UUID attempt = attempts.record(new AttemptRecord(identity.protocol(),
                    outcome.attemptOrgId != null ? outcome.attemptOrgId : identity.orgId(), identity.connectionId(),
                    outcome.userId, outcome.refusal, identity.email(), detail, client));
            throw new LoginRefusedException(outcome.refusal, attempt);
        }
        return new CompletedLogin(outcome.redirect, outcome.cookie == null ? null : outcome.cookie.token(),
                outcome.cookie == null ? 0 : outcome.cookie.expiresIn(), outcome.sessionId, outcome.userId, outcome.attempt);
    }

    /**
     * What a sign-in of this identity would do, without doing it: the JIT rules run in a transaction that is
     * rolled back, so no user, link, role or session is left behind (a test sign-in from setup). Logged as a
     * {@code test} attempt.
     */
    public Preview preview(ExternalIdentity identity, AttemptRecord.ClientInfo client) {
        Preview preview;
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                Resolved r = resolve(identity, true);
                throw new RolledBack(r.refusal() != null
                        ? new Preview("refused", r.refusedUserId(), null, null, null, List.of(), r.refusal(), r.emailTrusted())
                        : new Preview(switch (r.decision()) {
                            case JitPolicy.SignInLinked l -> "sign_in";
                            case JitPolicy.LinkExisting l -> "link";
                            default -> "create";
                        }, r.decision() instanceof JitPolicy.CreateUser ? null : r.user().getId(), r.user().getUsername(),
                                r.user().getEmail(), r.user().getDisplayName(), List.copyOf(r.user().effectiveRoles()), null,
                                r.emailTrusted()));
            });
            throw new IllegalStateException("the preview transaction was not rolled back");
        } catch (RolledBack rolledBack) {
            preview = rolledBack.preview;
        }
        Map<String, String> detail = new java.util.LinkedHashMap<>(Map.of("subject", identity.subject(), "test", preview.outcome()));
        detail.putAll(emailNote(identity, preview.emailTrusted()));
        attempts.recordTest(new AttemptRecord(identity.protocol(), identity.orgId(), identity.connectionId(), preview.userId(),
                preview.refusal(), identity.email(), detail, client));
        return preview;
    }

    /**
     * What a test sign-in would have done: {@code sign_in} (an already linked person), {@code link} (an
     * existing person, linked now), {@code create} (a new person), or {@code refused} with the reason.
     */
    public record Preview(String outcome, UUID userId, String username, String email, String displayName, List<String> roles,
                          LoginFailure refusal, boolean emailTrusted) {
    }

    /** Carries the preview out of the transaction it rolls back. */
    private static final class RolledBack extends RuntimeException {
        final Preview preview;

        RolledBack(Preview preview) {
            super(null, null, false, false);
            this.preview = preview;
        }
    }

    /** What the attempt log says of an email that was not trusted: why nobody was found or linked by it. */
    private static Map<String, String> emailNote(ExternalIdentity identity, boolean trusted) {
        return identity.email() == null || trusted ? Map.of() : Map.of("email",
                "not verified (" + (identity.orgDomainVouches() ? "the IdP did not say so and it is not at a verified domain of the org"
                        : "the IdP did not send email_verified: true") + "): the identity is linked by subject only");
    }

    /** Who the identity is, or why not: the user (linked, created or found), and what was decided. */
    private record Resolved(Org org, User user, JitPolicy.Decision decision, boolean emailTrusted, LoginFailure refusal,
                            UUID refusedUserId) {
    }

    /**
     * The JIT rules applied: the person linked, created or found (written in the caller's transaction).
     *
     * @param test a test sign-in from setup: the connection may still be a draft or off
     */
    private Resolved resolve(ExternalIdentity identity, boolean test) {
        Org org = orgs.findById(identity.orgId()).orElseThrow();
        if (!test && !connections.isEnabled(org.getId(), identity.connectionId())) {
            return new Resolved(org, null, null, false, LoginFailure.CONNECTION_UNAVAILABLE, null);
        }
        boolean emailTrusted = JitPolicy.emailTrusted(identity, org.getDomains());
        if (identity.groups() == null && roleMappings.any(org.getId())) {
            return new Resolved(org, null, null, emailTrusted, LoginFailure.GROUPS_OVERAGE, null);
        }
        users.lockExternalIdentity(org.getId(), identity.connectionId(), identity.subject(), identity.email());
        User linked = users.findLinked(org.getId(), identity.connectionId(), identity.subject()).orElse(null);
        // An untrusted email finds nobody: it could name anyone.
        User sameEmail = linked == null && emailTrusted ? users.findByEmail(org.getId(), identity.email()).orElse(null) : null;
        JitPolicy.Decision decision = JitPolicy.decide(identity, linked, sameEmail, org.getDomains(), org.isLinkPasswordUsers());
        User user = switch (decision) {
            case JitPolicy.Refuse refuse -> null;
            case JitPolicy.SignInLinked signIn -> signIn.user();
            case JitPolicy.LinkExisting link -> {
                users.link(org.getId(), identity.connectionId(), identity.subject(), link.user());
                yield link.user();
            }
            case JitPolicy.CreateUser create -> {
                User created = users.createSsoUser(org, identity.email(), emailTrusted, identity.displayName());
                users.link(org.getId(), identity.connectionId(), identity.subject(), created);
                yield created;
            }
        };
        if (decision instanceof JitPolicy.Refuse refuse) {
            UUID userId = linked != null ? linked.getId() : sameEmail != null ? sameEmail.getId() : null;
            return new Resolved(org, null, decision, emailTrusted, refuse.reason(), userId);
        }
        users.recordSsoLogin(user, identity.connectionId(), identity.subject(), identity.email(), emailTrusted,
                identity.displayName());
        // The groups this sign-in carried feed the org's role mappings; the token below says what they give now.
        user.setIdpGroups(identity.groups() == null ? List.of() : identity.groups());
        roleMappings.recompute(user);
        return new Resolved(org, user, decision, emailTrusted, null, null);
    }

    private Outcome signIn(ExternalIdentity identity, Delivery to, String idpLogoutHint) {
        Resolved resolved = resolve(identity, false);
        if (resolved.refusal() != null) {
            return Outcome.refused(resolved.refusal(), resolved.refusedUserId(), resolved.emailTrusted());
        }
        Org home = resolved.org();
        User user = resolved.user();
        boolean emailTrusted = resolved.emailTrusted();
        // Which account of the configuration: the one asked for, else the last used (or only) one.
        if (resolved.decision() instanceof JitPolicy.CreateUser && home.getDefaultAccountId() != null) {
            Org first = orgs.findById(home.getDefaultAccountId()).orElseThrow();
            user.setHomeMember(false);
            memberships.put(user, first.getId(), List.of(first.getJitDefaultRole() != null && !"admin".equals(first.getJitDefaultRole())
                    && !"owner".equals(first.getJitDefaultRole()) ? first.getJitDefaultRole() : "member"));
        }
        Optional<Memberships.Membership> membership;
        Org org;
        if (to.account() != null) {
            org = orgs.find(to.account()).filter(a -> a.getId().equals(home.getId()) || home.getId().equals(a.getSsoParentId()))
                    .orElse(null);
            membership = org == null ? Optional.empty() : memberships.in(user, org.getId());
            if (membership.isEmpty()) {
                return Outcome.refused(LoginFailure.NOT_A_MEMBER, user.getId(), emailTrusted, org == null ? home.getId() : org.getId());
            }
        } else {
            membership = memberships.lastUsed(user);
            if (membership.isEmpty()) {
                return Outcome.refused(LoginFailure.NOT_A_MEMBER, user.getId(), emailTrusted, home.getId());
            }
            org = orgs.findById(membership.get().orgId()).orElseThrow();
        }
        memberships.used(user, org.getId());
        AccessTokenClaims claims = new AccessTokenClaims(user.getId(), org.getId(), org.getCode(), null, membership.get().roles(),
                user.getEmail(), user.getDisplayName(), user.getUsername(), "sso");
        SessionService.Started started = sessions.start(claims, identity.connectionId(), identity.idpSessionRef(),
                delivery.sessionLifetime(to), home.getId(), idpLogoutHint);
        return switch (to) {
            case Delivery.Browser browser -> new Outcome(URI.create(delivery.returnUrl(org, browser.returnTo())),
                    sessions.cookieToken(started.claims(), started.expiresAt()), started.sessionId(), user.getId(), null, emailTrusted);
            case Delivery.Client client -> {
                delivery.checkClient(client);
                String code = sessions.issueCode(started.sessionId(), client.clientId(), client.redirectUri(), client.codeChallenge());
                UriBuilder redirect = UriBuilder.fromUri(client.redirectUri()).queryParam("code", code);
                if (client.state() != null) {
                    redirect.queryParam("state", client.state());
                }
                yield new Outcome(redirect.build(), null, started.sessionId(), user.getId(), null, emailTrusted);
            }
            case Delivery.Test test -> throw new IllegalArgumentException("a test sign-in is previewed, never completed");
        };
    }

    /** @param attemptOrgId the org whose attempt log shows a refusal (the account asked for); null: the identity's */
    /** @param attempt the attempt row of a success, once written */
    private record Outcome(URI redirect, IssuedToken cookie, UUID sessionId, UUID userId, LoginFailure refusal,
                           boolean emailTrusted, UUID attemptOrgId, UUID attempt) {
        Outcome(URI redirect, IssuedToken cookie, UUID sessionId, UUID userId, LoginFailure refusal, boolean emailTrusted) {
            this(redirect, cookie, sessionId, userId, refusal, emailTrusted, null, null);
        }

        static Outcome refused(LoginFailure reason, UUID userId, boolean emailTrusted) {
            return new Outcome(null, null, null, userId, reason, emailTrusted, null, null);
        }

        static Outcome refused(LoginFailure reason, UUID userId, boolean emailTrusted, UUID attemptOrgId) {
            return new Outcome(null, null, null, userId, reason, emailTrusted, attemptOrgId, null);
        }

        Outcome withAttempt(UUID id) {
            return new Outcome(redirect, cookie, sessionId, userId, refusal, emailTrusted, attemptOrgId, id);
        }
    }
}
