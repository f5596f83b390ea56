package io.gatehouse.login;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Callers;
import io.gatehouse.token.AccessTokenClaims;
import io.gatehouse.token.IssuedToken;
import io.gatehouse.token.Session;
import io.gatehouse.token.SessionService;
import io.gatehouse.user.Memberships;
import io.gatehouse.user.User;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * A person's accounts under their SSO configuration, and switching between them without signing in again:
 * the same session, a new token naming the account (its {@code org}, {@code org_id}) and the person's roles
 * there. Their next sign-in lands where they were last.
 */
@ApplicationScoped
public class AccountSwitch {

    private final Callers callers;
    private final Memberships memberships;
    private final OrgService orgs;
    private final SessionService sessions;

    public AccountSwitch(Callers callers, Memberships memberships, OrgService orgs, SessionService sessions) {
        this.callers = callers;
        this.memberships = memberships;
        this.orgs = orgs;
        this.sessions = sessions;
    }

    /** One of the person's accounts, as {@code GET /v1/me/accounts} lists it. */
    public record AccountView(String org, UUID orgId, String name, List<String> roles, boolean current) {
    }

    /** The switched-to account's token: for the API, and (when the caller came with the cookie) for the cookie. */
    public record Switched(String org, IssuedToken accessToken, IssuedToken cookieToken) {
    }

    @Transactional
    public List<AccountView> mine() {
        Caller caller = person();
        User user = user(caller);
        return memberships.of(user).stream()
                .map(m -> new AccountView(m.orgCode(), m.orgId(), m.orgName(), m.roles(), m.orgId().equals(caller.orgId()))).toList();
    }

    @Transactional
    public Switched to(String orgRef) {
        Caller caller = person();
        User user = user(caller);
        Org org = orgRef == null ? null : orgs.find(orgRef).orElse(null);
        Memberships.Membership membership = org == null ? null : memberships.in(user, org.getId()).orElse(null);
        if (membership == null) {
            throw ApiException.forbidden("not_a_member: you are not a member of " + (orgRef == null ? "that account" : orgRef));
        }
        Session session = sessions.findActive(caller.sessionId()).orElseThrow(() -> ApiException.unauthorized("The session has ended."));
        sessions.switchAccount(session.getId(), org.getId());
        memberships.used(user, org.getId());
        AccessTokenClaims claims = new AccessTokenClaims(user.getId(), org.getId(), org.getCode(), session.getId(), membership.roles(),
                user.getEmail(), user.getDisplayName(), user.getUsername(), session.getAmr());
        return new Switched(org.getCode(), sessions.accessToken(claims), sessions.cookieToken(claims, session.getExpiresAt()));
    }

    private User user(Caller caller) {
        return memberships.person(caller.orgId(), caller.userId())
                .orElseThrow(() -> ApiException.unauthorized("This token's user no longer exists."));
    }

    private Caller person() {
        Caller caller = callers.current();
        if (caller.operator() || caller.sessionId() == null) {
            throw ApiException.forbidden("The operator token belongs to no person and has no accounts.");
        }
        return caller;
    }
}
