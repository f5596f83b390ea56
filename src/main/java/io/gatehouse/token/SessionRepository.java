package io.gatehouse.token;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/** Sessions, always looked up within their org. */
@ApplicationScoped
public class SessionRepository implements PanacheRepositoryBase<Session, UUID> {

    /** The person's sessions that have not ended, newest first. */
    public java.util.List<Session> listActiveOfUser(UUID orgId, UUID userId, java.time.Instant now) {
        return list("orgId = ?1 and userId = ?2 and revokedAt is null and expiresAt > ?3 order by createdAt desc", orgId, userId, now);
    }

    /** The org's sessions that have not ended and were started through this connection. */
    public java.util.List<Session> listActiveOfConnection(UUID orgId, UUID connectionId, java.time.Instant now) {
        return list("orgId = ?1 and connectionId = ?2 and revokedAt is null and expiresAt > ?3", orgId, connectionId, now);
    }

    /** The org's sessions that have not ended and were started with this method ({@code pwd}, {@code sso}). */
    public java.util.List<Session> listActiveByAmr(UUID orgId, String amr, java.time.Instant now) {
        return list("orgId = ?1 and amr = ?2 and revokedAt is null and expiresAt > ?3", orgId, amr, now);
    }

    public java.util.List<Session> listActiveByIdpSession(UUID orgId, UUID connectionId, String idpSessionRef,
                                                          java.time.Instant now) {
        return list("orgId = ?1 and connectionId = ?2 and idpSessionRef = ?3 and revokedAt is null and expiresAt > ?4",
                orgId, connectionId, idpSessionRef, now);
    }

    /** Active sessions whose account (or org, without one) is {@code accountId}; of one user when given. */
    public java.util.List<Session> listActiveInAccount(UUID userId, UUID accountId, Instant now) {
        return userId == null
                ? list("coalesce(accountId, orgId) = ?1 and revokedAt is null and expiresAt > ?2", accountId, now)
                : list("userId = ?1 and coalesce(accountId, orgId) = ?2 and revokedAt is null and expiresAt > ?3", userId, accountId, now);
    }
}
