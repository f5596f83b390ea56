package io.gatehouse.token;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps this replica in step with the others through PostgreSQL alone: revoked sessions arrive by
 * {@code LISTEN/NOTIFY} (well under a second) and are reconciled from the sessions table every
 * {@link #RECONCILE} in case a notification was missed; so do people whose access changed
 * ({@link UserVersions}); a signing key change reloads the keys.
 */
@Startup
@Singleton
public class Revocations implements RevocationList {

    /** Channel of revoked session ids. */
    static final String CHANNEL = "gatehouse_session_revoked";
    /** Channel of signing key changes. */
    static final String KEYS_CHANNEL = "gatehouse_signing_keys";
    static final Duration RECONCILE = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(Revocations.class);
    /** Expiry placeholder of a notified id until the next reconcile reads the real one. */
    private static final Duration NOTIFIED_HOLD = Duration.ofDays(60);

    private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();
    private final AgroalDataSource dataSource;
    private final SessionStore store;
    private final SigningKeys keys;
    private final Clock clock;
    private final UserVersions userVersions;
    /** How long a token of Gatehouse's may live: changes older than that are forgotten. */
    private final Duration longestToken;
    private final Thread listener;
    private volatile boolean running = true;
    /** Whether the listening connection was lost (logged once, until it is back). */
    private boolean lost;

    public Revocations(AgroalDataSource dataSource, SessionStore store, SigningKeys keys, Clock clock,
                       UserVersions userVersions, io.gatehouse.platform.GatehouseConfig config) {
        this.dataSource = dataSource;
        this.store = store;
        this.keys = keys;
        this.clock = clock;
        this.userVersions = userVersions;
        this.longestToken = config.clients().values().stream().map(c -> c.sessionLifetime())
                .reduce(config.token().sessionLifetime(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        reconcile();
        this.listener = Thread.ofPlatform().daemon().name("gatehouse-replica-sync").start(this::listen);
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

    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("LISTEN " + CHANNEL);
                statement.execute("LISTEN " + KEYS_CHANNEL);
                statement.execute("LISTEN " + UserVersions.CHANNEL);
                PGConnection pg = connection.unwrap(PGConnection.class);
                // Anything revoked while this connection was not listening is read here.
                reconcile();
                if (lost) {
                    LOG.info("Replica sync is listening again");
                    lost = false;
                }
                Instant nextReconcile = clock.instant().plus(RECONCILE);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(500);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            handle(notification);
                        }
                    }
                    if (clock.instant().isAfter(nextReconcile)) {
                        reconcile();
                        nextReconcile = clock.instant().plus(RECONCILE);
                    }
                }
            } catch (Exception e) {
                if (running) {
                    if (!lost) {
                        LOG.warnf("Replica sync lost its database connection (%s); retrying every second", e.getClass().getSimpleName());
                    }
                    lost = true;
                    sleep();
                }
            }
        }
    }

    private void handle(PGNotification notification) {
        if (notification.getName().equals(KEYS_CHANNEL)) {
            keys.reload();
            return;
        }
        if (notification.getName().equals(UserVersions.CHANNEL)) {
            try {
                userVersions.notified(notification.getParameter(), clock.instant());
            } catch (RuntimeException e) {
                LOG.warn("Ignored a malformed user change notification");
            }
            return;
        }
        try {
            revoked.putIfAbsent(UUID.fromString(notification.getParameter()), clock.instant().plus(NOTIFIED_HOLD));
        } catch (IllegalArgumentException e) {
            LOG.warn("Ignored a malformed revocation notification");
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        listener.interrupt();
    }
}
