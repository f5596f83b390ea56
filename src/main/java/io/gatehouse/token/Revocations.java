package io.gatehouse.token;

import io.gatehouse.platform.ReplicaSync;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps this replica in step with the others through PostgreSQL alone: revoked sessions arrive by
 * {@code LISTEN/NOTIFY} ({@link ReplicaSync}, well under a second) and are reconciled from the sessions
 * table every {@link ReplicaSync#TICK} and whenever listening restarts, in case a notification was missed; so do people whose access changed
 * ({@link UserVersions}); a signing key change reloads the keys.
 */
@Startup
@Singleton
public class Revocations implements RevocationList, ReplicaSync.Listener {

    /** Channel of revoked session ids. */
    static final String CHANNEL = "gatehouse_session_revoked";
    /** Channel of signing key changes. */
    static final String KEYS_CHANNEL = "gatehouse_signing_keys";
    /** Expiry placeholder of a notified id until the next reconcile reads the real one. */
    private static final Duration NOTIFIED_HOLD = Duration.ofDays(60);

    private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();
    private final SessionStore store;
    private final SigningKeys keys;
    private final Clock clock;
    private final UserVersions userVersions;
    /** How long a token of Gatehouse's may live: changes older than that are forgotten. */
    private final Duration longestToken;

    public Revocations(ReplicaSync sync, SessionStore store, SigningKeys keys, Clock clock,
                       UserVersions userVersions, io.gatehouse.platform.GatehouseConfig config) {
        this.store = store;
        this.keys = keys;
        this.clock = clock;
        this.userVersions = userVersions;
        this.longestToken = config.clients().values().stream().map(c -> c.sessionLifetime())
                .reduce(config.token().sessionLifetime(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        reconcile();
        sync.subscribe(java.util.Set.of(CHANNEL, KEYS_CHANNEL, UserVersions.CHANNEL), this);
    }

    @Override
    public boolean isRevoked(UUID sessionId) {
        return revoked.containsKey(sessionId);
    }

    @Override
    public boolean isOutdated(UUID userId, long userVersion) {
        return !userVersions.isCurrent(userId, userVersion);
    }

    /** Records a revocation this replica made, without waiting for its own notification. */
    void markRevoked(UUID sessionId, Instant expiresAt) {
        revoked.put(sessionId, expiresAt);
    }

    void reconcile() {
        Instant now = clock.instant();
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> store.revokedSince(now));
        rows.forEach(row -> revoked.put((UUID) row[0], Instant.from((java.time.temporal.TemporalAccessor) row[1])));
        revoked.values().removeIf(expiry -> expiry.isBefore(now));
        userVersions.reconcile(now.minus(longestToken), now);
    }

    @Override
    public void listening() {
        // Anything revoked while this replica was not listening is read here.
        reconcile();
    }

    @Override
    public void tick() {
        reconcile();
    }

    @Override
    public void notified(String channel, String payload) {
        switch (channel) {
            case KEYS_CHANNEL -> keys.reload();
            case UserVersions.CHANNEL -> userVersions.notified(payload, clock.instant());
            default -> revoked.putIfAbsent(UUID.fromString(payload), clock.instant().plus(NOTIFIED_HOLD));
        }
    }
}
