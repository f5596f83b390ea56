package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Purgeable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The atomic SQL behind one-time codes and refresh-token rotation: each value is consumed by exactly
 * one {@code update … where used_at is null}, whatever replica the two racing requests land on.
 */
@ApplicationScoped
public class SessionStore implements Purgeable {

    private final EntityManager em;

    public SessionStore(EntityManager em) {
        this.em = em;
    }

    void insertCode(String codeHash, UUID sessionId, String clientId, String redirectUri, String challenge,
                    Instant now, Instant expiresAt) {
        em.createNativeQuery("insert into authorization_codes (code_hash, session_id, client_id, redirect_uri, "
                        + "code_challenge, created_at, expires_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, codeHash).setParameter(2, sessionId).setParameter(3, clientId)
                .setParameter(4, redirectUri).setParameter(5, challenge).setParameter(6, now).setParameter(7, expiresAt)
                .executeUpdate();
    }

    /** Marks an unused, unexpired code used and returns what it was for; empty when it is not such a code. */
    @SuppressWarnings("unchecked")
    Optional<CodeGrant> consumeCode(String codeHash, Instant now) {
        List<Object[]> rows = em.createNativeQuery("update authorization_codes set used_at = ?2 "
                        + "where code_hash = ?1 and used_at is null and expires_at > ?2 "
                        + "returning session_id, client_id, redirect_uri, code_challenge")
                .setParameter(1, codeHash).setParameter(2, now).getResultList();
        return rows.stream().findFirst().map(r -> new CodeGrant((UUID) r[0], (String) r[1], (String) r[2], (String) r[3]));
    }

    /** The session of a code that was already used, if this is one: a replay. */
    Optional<UUID> sessionOfUsedCode(String codeHash) {
        return em.createNativeQuery("select session_id from authorization_codes where code_hash = ?1 and used_at is not null")
                .setParameter(1, codeHash).getResultStream().map(UUID.class::cast).findFirst();
    }

    /** For a session already stored (a token is issued only for a session found active): nothing is flushed first. */
    void insertRefreshToken(String tokenHash, UUID sessionId, Instant now) {
        em.createNativeQuery("insert into refresh_tokens (token_hash, session_id, created_at) values (?1, ?2, ?3)")
                .setFlushMode(FlushModeType.COMMIT)
                .setParameter(1, tokenHash).setParameter(2, sessionId).setParameter(3, now).executeUpdate();
    }

    /** Marks an unused refresh token used; returns its session, or empty when it is unknown or used. */
    Optional<UUID> consumeRefreshToken(String tokenHash, Instant now) {
        return em.createNativeQuery("update refresh_tokens set used_at = ?2 where token_hash = ?1 and used_at is null "
                        + "returning session_id")
                .setParameter(1, tokenHash).setParameter(2, now).getResultStream().map(UUID.class::cast).findFirst();
    }

    /** The session of a refresh token, used or not. */
    Optional<UUID> sessionOfRefreshToken(String tokenHash) {
        return em.createNativeQuery("select session_id from refresh_tokens where token_hash = ?1")
                .setParameter(1, tokenHash).getResultStream().map(UUID.class::cast).findFirst();
    }

    /** The session of a refresh token that was already used: reuse, the sign of a stolen token. */
    Optional<UUID> sessionOfUsedRefreshToken(String tokenHash) {
        return em.createNativeQuery("select session_id from refresh_tokens where token_hash = ?1 and used_at is not null")
                .setParameter(1, tokenHash).getResultStream().map(UUID.class::cast).findFirst();
    }

    /** Tells every replica (including this one) that a session was revoked, when the transaction commits. */
    void notifyRevoked(UUID sessionId) {
        em.createNativeQuery("select pg_notify(?1, ?2)")
                .setParameter(1, Revocations.CHANNEL).setParameter(2, sessionId.toString()).getSingleResult();
    }

    /** Sessions revoked and not yet expired: what every replica must keep refusing. */
    List<Object[]> revokedSince(Instant expiringAfter) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select id, expires_at from sessions where revoked_at is not null and expires_at > ?1")
                .setParameter(1, expiringAfter).getResultList();
        return rows;
    }

    /**
     * Sessions ended (expired or revoked) longer ago than their retention, with their codes and refresh
     * tokens (cascade); and codes past theirs after expiry.
     */
    @Override
    public java.util.Map<String, Integer> purge(Instant now, GatehouseConfig.Retention retention, int limit) {
        Instant sessionsBefore = now.minus(retention.endedSessions());
        int sessions = em.createNativeQuery("delete from sessions where id in (select id from sessions "
                        + "where expires_at < ?1 or revoked_at < ?1 limit ?2)")
                .setParameter(1, sessionsBefore).setParameter(2, limit).executeUpdate();
        int codes = em.createNativeQuery("delete from authorization_codes where code_hash in "
                        + "(select code_hash from authorization_codes where expires_at < ?1 limit ?2)")
                .setParameter(1, now.minus(retention.codes())).setParameter(2, limit).executeUpdate();
        return java.util.Map.of("sessions", sessions, "authorization_codes", codes);
    }
}
