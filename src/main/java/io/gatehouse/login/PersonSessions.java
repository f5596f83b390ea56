package io.gatehouse.login;

import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Callers;
import io.gatehouse.token.Session;
import io.gatehouse.token.SessionService;
import io.gatehouse.user.UserService;
import io.gatehouse.user.UserView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A person's sessions: they see and end their own; an admin of their org signs them out everywhere.
 * Every replica refuses an ended session's tokens within a second.
 */
@ApplicationScoped
public class PersonSessions {

    private final Callers callers;
    private final UserService users;
    private final SessionService sessions;
    private final io.gatehouse.user.Memberships memberships;

    public PersonSessions(Callers callers, UserService users, SessionService sessions, io.gatehouse.user.Memberships memberships) {
        this.memberships = memberships;
        this.callers = callers;
        this.users = users;
        this.sessions = sessions;
    }

    /** One session as its person sees it; {@code current}: the one this request came with. */
    public record SessionView(UUID id, String amr, UUID connectionId, Instant createdAt, Instant lastUsedAt, Instant expiresAt,
                              boolean current) {
    }

    /** How many sessions ended. */
    public record Ended(int revoked) {
    }

    @Transactional
    public List<SessionView> mine() {
        Caller caller = person();
        return sessions.activeOf(home(caller), caller.userId()).stream().map(s -> view(s, caller)).toList();
    }

    @Transactional
    public void endMine(UUID sessionId) {
        Caller caller = person();
        if (!sessions.revokeOwn(home(caller), caller.userId(), sessionId)) {
            throw ApiException.notFound("Your session " + sessionId);
        }
    }

    @Transactional
    public Ended endAllMine() {
        Caller caller = person();
        return new Ended(sessions.revokeAllOf(home(caller), caller.userId()));
    }

    /** The person's own org (where their sessions are kept): the token's org, or its parent in a shared configuration. */
    private UUID home(Caller caller) {
        return memberships.person(caller.orgId(), caller.userId()).map(io.gatehouse.user.User::getOrgId).orElse(caller.orgId());
    }

    /** An admin signs a person of their org out everywhere. */
    @Transactional
    public Ended signOutEverywhere(String orgRef, UUID userId) {
        UserView user = users.get(orgRef, userId);
        return new Ended(sessions.revokeAllOf(user.orgId(), user.id()));
    }

    private Caller person() {
        Caller caller = callers.current();
        if (caller.operator()) {
            throw ApiException.forbidden("The operator token belongs to no user and has no sessions.");
        }
        return caller;
    }

    private static SessionView view(Session s, Caller caller) {
        return new SessionView(s.getId(), s.getAmr(), s.getConnectionId(), s.getCreatedAt(), s.getLastUsedAt(), s.getExpiresAt(),
                s.getId().equals(caller.sessionId()));
    }
}
