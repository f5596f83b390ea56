package io.gatehouse.token;

import jakarta.inject.Singleton;
import jakarta.persistence.EntityManager;
import jakarta.persistence.FlushModeType;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per person, the oldest token version still valid. Tokens carry the version current when they were
 * issued ({@code uv}); a change to the person's access raises it, and every replica learns the new one
 * (by notification, or the periodic reconcile) and refuses older tokens. Only people changed within
 * the longest token lifetime are held in memory; the check on a request is a map lookup.
 */
@Singleton
public class UserVersions {

    /** Channel of changed people: {@code <user id>:<version>}. */
    static final String CHANNEL = "gatehouse_user_changed";

    /** The version required of a person's tokens, and when this replica learned it. */
    private record Required(long version, Instant learnedAt) {
    }

    private final Map<UUID, Required> minimum = new ConcurrentHashMap<>();
    private final EntityManager em;

    public UserVersions(EntityManager em) {
        this.em = em;
    }

    /** Whether a token of this version may still speak for the person. */
    public boolean isCurrent(UUID userId, long tokenVersion) {
        Required required = minimum.get(userId);
        return required == null || tokenVersion >= required.version();
    }

    /** The version a token issued now carries. */
    @Transactional
    public long current(UUID userId) {
        // No flush first: the table is written by native statements only, which run when they are made, so
        // no pending entity change can alter the answer (a flush here dirty-checked every loaded entity).
        List<?> rows = em.createNativeQuery("select version from user_token_versions where user_id = ?1")
                .setFlushMode(FlushModeType.COMMIT).setParameter(1, userId).getResultList();
        return rows.isEmpty() ? 0 : ((Number) rows.get(0)).longValue();
    }

    /** Raises the person's version in the caller's transaction and tells every replica when it commits. */
    @Transactional(Transactional.TxType.MANDATORY)
    long raise(UUID userId, Instant now) {
        long version = ((Number) em.createNativeQuery("insert into user_token_versions (user_id, version, changed_at) "
                        + "values (?1, 1, ?2) on conflict (user_id) do update set version = user_token_versions.version + 1, "
                        + "changed_at = ?2 returning version")
                .setParameter(1, userId).setParameter(2, now).getSingleResult()).longValue();
        em.createNativeQuery("select pg_notify(?1, ?2)").setParameter(1, CHANNEL).setParameter(2, userId + ":" + version)
                .getSingleResult();
        return version;
    }

    /** Learns a version (this replica's own change, a notification, or the reconcile); never lowers one. */
    void learn(UUID userId, long version, Instant now) {
        minimum.merge(userId, new Required(version, now), (known, learned) -> known.version() >= learned.version() ? known : learned);
    }

    /** A notification's payload. */
    void notified(String payload, Instant now) {
        int colon = payload.indexOf(':');
        learn(UUID.fromString(payload.substring(0, colon)), Long.parseLong(payload.substring(colon + 1)), now);
    }

    /** Everything changed since {@code since}; older entries are dropped (no token of theirs is alive). */
    @Transactional
    @SuppressWarnings("unchecked")
    void reconcile(Instant since, Instant now) {
        List<Object[]> rows = em.createNativeQuery("select user_id, version from user_token_versions where changed_at > ?1")
                .setParameter(1, since).getResultList();
        Map<UUID, Long> fresh = new java.util.HashMap<>();
        rows.forEach(r -> fresh.put((UUID) r[0], ((Number) r[1]).longValue()));
        fresh.forEach((user, version) -> learn(user, version, now));
        // Dropped: changes older than any live token, unless learned while this ran.
        minimum.entrySet().removeIf(e -> !fresh.containsKey(e.getKey()) && e.getValue().learnedAt().isBefore(since));
    }
}
