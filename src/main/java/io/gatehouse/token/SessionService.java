package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/** Starts sessions and issues the access tokens that belong to them. */
@ApplicationScoped
public class SessionService {

    private final SessionRepository sessions;
    private final TokenIssuer issuer;
    private final GatehouseConfig config;
    private final Clock clock;

    public SessionService(SessionRepository sessions, TokenIssuer issuer, GatehouseConfig config, Clock clock) {
        this.sessions = sessions;
        this.issuer = issuer;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Starts a session for a signed-in user and returns its first access token.
     *
     * @param claims who signed in; its {@code sessionId} is ignored and replaced by the new session's
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public IssuedToken start(AccessTokenClaims claims) {
        Instant now = clock.instant();
        Session session = new Session(UUID.randomUUID(), claims.userId(), claims.orgId(), claims.amr(), now,
                now.plus(config.token().sessionLifetime()));
        sessions.persist(session);
        return issuer.issue(new AccessTokenClaims(claims.userId(), claims.orgId(), claims.orgCode(), session.getId(),
                claims.roles(), claims.email(), claims.name(), claims.username(), claims.amr()));
    }
}
