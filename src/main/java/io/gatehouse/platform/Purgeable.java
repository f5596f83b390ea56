package io.gatehouse.platform;

import java.time.Instant;

/**
 * Rows a feature keeps only for a while (attempts, used SAML IDs, ended sessions, codes, OIDC state):
 * each feature implements this beside its table, and {@link RetentionPurge} runs them all on one
 * replica at a time.
 */
public interface Purgeable {

    /**
     * Deletes at most {@code limit} rows per table that are past their retention at {@code now}, in the
     * caller's transaction; returns how many, by table.
     */
    java.util.Map<String, Integer> purge(Instant now, GatehouseConfig.Retention retention, int limit);
}
