package io.gatehouse.platform;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Deletes what is past its retention ({@code gatehouse.retention.*}), every {@code interval}, on one
 * replica at a time: the run holds a PostgreSQL advisory lock for its transaction, and a replica that
 * cannot take it skips the run. Each table gives up at most {@code batch-size} rows a run, so a run
 * stays short; a backlog is worked off over the next runs.
 */
@ApplicationScoped
public class RetentionPurge {

    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);
    /** The advisory lock's key: one per database, shared by every replica. */
    static final long LOCK_KEY = 0x6761746568_7075L; // "gateh" "pu"

    private final EntityManager em;
    private final Instance<Purgeable> purgeables;
    private final GatehouseConfig config;
    private final Clock clock;

    public RetentionPurge(EntityManager em, Instance<Purgeable> purgeables, GatehouseConfig config, Clock clock) {
        this.em = em;
        this.purgeables = purgeables;
        this.config = config;
        this.clock = clock;
    }

    @Scheduled(every = "${gatehouse.retention.interval}", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        try {
            run().filter(counts -> counts.values().stream().anyMatch(n -> n > 0))
                    .ifPresent(counts -> LOG.infof("Retention purge deleted %s", counts));
        } catch (RuntimeException e) {
            LOG.warnf("Retention purge failed (%s); the next run tries again", e.getClass().getSimpleName());
        }
    }

    /**
     * One run: the rows deleted per table, or empty when another replica holds the lock (it is purging).
     */
    public Optional<Map<String, Integer>> run() {
        return QuarkusTransaction.requiringNew().call(() -> {
            boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                    .setParameter(1, LOCK_KEY).getSingleResult();
            if (!mine) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            Map<String, Integer> deleted = new LinkedHashMap<>();
            for (Purgeable purgeable : purgeables) {
                purgeable.purge(now, config.retention(), config.retention().batchSize())
                        .forEach((table, count) -> deleted.merge(table, count, Integer::sum));
            }
            return Optional.of(deleted);
        });
    }
}
