package io.gatehouse.login;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.token.AccessTokenClaims;
import io.gatehouse.token.IssuedToken;
import io.gatehouse.token.SessionService;
import io.gatehouse.user.User;
import io.gatehouse.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Map;

/**
 * Password sign-in for password users. Unknown users cost the same hash time as known ones and get the
 * same answer as a wrong password; SSO users and SSO-enforcing orgs are refused with a clear reason.
 */
@ApplicationScoped
public class PasswordLoginService {

    private final UserService users;
    private final OrgService orgs;
    private final SessionService sessions;
    private final LoginAttemptService attempts;
    private final DeliveryPolicy delivery;
    private final Clock clock;
    private final java.time.Duration sessionLifetime;

    public PasswordLoginService(UserService users, OrgService orgs, SessionService sessions, LoginAttemptService attempts,
                                DeliveryPolicy delivery, Clock clock, io.gatehouse.platform.GatehouseConfig config) {
        this.users = users;
        this.orgs = orgs;
        this.sessions = sessions;
        this.attempts = attempts;
        this.delivery = delivery;
        this.clock = clock;
        this.sessionLifetime = config.token().sessionLifetime();
    }

    /** The API's password login: an access token. */
    public TokenResponse login(PasswordLoginRequest request, AttemptRecord.ClientInfo client) {
        IssuedToken token = signIn(request, client, false).token();
        return TokenResponse.bearer(token.token(), token.expiresIn());
    }

    /**
     * The login page's password login: the session cookie's token (as long as the session) and the
     * redirect to {@code returnTo} where the org's allowlist permits it, else to the default page.
     */
    public CompletedLogin browserLogin(PasswordLoginRequest request, String returnTo, AttemptRecord.ClientInfo client) {
        SignedIn signedIn = signIn(request, client, true);
        return new CompletedLogin(java.net.URI.create(delivery.returnUrl(signedIn.org(), returnTo)), signedIn.token().token(),
                signedIn.token().expiresIn(), signedIn.sessionId(), signedIn.userId(), signedIn.attemptId());
    }

    /** A password sign-in that succeeded: its token (a bearer token, or the browser cookie's) and whose it is. */
    private record SignedIn(IssuedToken token, Org org, java.util.UUID sessionId, java.util.UUID userId, java.util.UUID attemptId) {
    }


    private SignedIn signIn(PasswordLoginRequest request, AttemptRecord.ClientInfo client, boolean browser) {
        // The user and the username's lockout, in one short read-only transaction; the slow hash runs
        // outside any transaction.
        record Lookup(Candidate candidate, java.util.Optional<java.time.Instant> lockedUntil) {
        }
        Lookup lookup = QuarkusTransaction.requiringNew().call(() -> new Lookup(users.findByUsername(request.username())
                .map(user -> new Candidate(user, orgs.findById(user.getOrgId()).orElseThrow()))
                .orElse(null), attempts.passwordLockoutEnd(request.username())));
        Candidate candidate = lookup.candidate();
        // Known or not, a username with too many recent failures is refused before any password check.
        if (lookup.lockedUntil().isPresent()) {
            throw locked(candidate, request.username(), client, lookup.lockedUntil().get());
        }
        if (candidate == null) {
            users.passwordMatches(null, request.password());
            throw refuse(null, null, LoginFailure.UNKNOWN_USER, request.username(), client);
        }
        User user = candidate.user;
        Org org = candidate.org;
        // An account shares its parent's enforcement.
        if (org.isSsoEnforced() || (org.getSsoParentId() != null
                && QuarkusTransaction.requiringNew().call(() -> orgs.findById(org.getSsoParentId()).map(Org::isSsoEnforced).orElse(false)))) {
            throw refuse(org, user, LoginFailure.SSO_ENFORCED, request.username(), client);
        }
        if (!user.getAuthMode().equals(User.PASSWORD)) {
            throw refuse(org, user, LoginFailure.USER_UNDER_SSO, request.username(), client);
        }
        boolean matches = users.passwordMatches(user, request.password());
        if (!matches) {
            throw refuse(org, user, LoginFailure.WRONG_PASSWORD, request.username(), client);
        }
        if (!user.getStatus().equals(User.ACTIVE)) {
            throw refuse(org, user, LoginFailure.USER_DISABLED, request.username(), client);
        }
        record Started(IssuedToken token, java.util.UUID sessionId) {
        }
        Started started = QuarkusTransaction.requiringNew().call(() -> {
            User current = users.find(org.getId(), user.getId()).orElseThrow();
            current.setLastLoginAt(clock.instant());
            AccessTokenClaims claims = new AccessTokenClaims(current.getId(), org.getId(), org.getCode(), null,
                    current.effectiveRoles(), current.getEmail(), current.getDisplayName(), current.getUsername(), "pwd");
            if (!browser) {
                return new Started(sessions.start(claims), null);
            }
            SessionService.Started session = sessions.start(claims, null, null, sessionLifetime);
            return new Started(sessions.cookieToken(session.claims(), session.expiresAt()), session.sessionId());
        });
        java.util.UUID attempt = attempts.record(new AttemptRecord("password", org.getId(), null, user.getId(), null,
                request.username(), Map.of(), client));
        return new SignedIn(started.token(), org, started.sessionId(), user.getId(), attempt);
    }

    private ApiException refuse(Org org, User user, LoginFailure reason, String hint, AttemptRecord.ClientInfo client) {
        java.util.UUID attempt = attempts.record(new AttemptRecord("password", org == null ? null : org.getId(), null,
                user == null ? null : user.getId(), reason, hint, Map.of(), client));
        return switch (reason) {
            case SSO_ENFORCED, USER_UNDER_SSO -> ApiException.loginRefused(403, "sso-required",
                    "This account signs in with single sign-on, not a password: use \"Single Sign-On\" with your username or company code.",
                    attempt);
            default -> ApiException.loginRefused(401, "invalid-credentials", "Invalid username or password.", attempt);
        };
    }

    private ApiException locked(Candidate candidate, String username, AttemptRecord.ClientInfo client,
                                java.time.Instant until) {
        java.util.UUID attempt = attempts.record(new AttemptRecord("password",
                candidate == null ? null : candidate.org.getId(), null, candidate == null ? null : candidate.user.getId(),
                LoginFailure.TOO_MANY_FAILURES, username, Map.of("locked_until", until.toString()), client));
        long seconds = Math.max(1, (java.time.Duration.between(clock.instant(), until).toMillis() + 999) / 1000);
        long minutes = (seconds + 59) / 60;
        return ApiException.tooManyAttempts("Too many failed sign-ins for this username. Try again in "
                + minutes + (minutes == 1 ? " minute" : " minutes") + ", or ask your administrator.", attempt, seconds);
    }

    private record Candidate(User user, Org org) {
    }
}
