package io.gatehouse.oidc;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Purgeable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.Map;

/**
 * OIDC flow state ({@link ServerSideTokenState}'s rows) past its expiry: the sign-in it belonged to can
 * no longer finish. A bean of its own: {@code ServerSideTokenState} is a CDI alternative, and an
 * alternative among the {@link Purgeable}s would hide every other one.
 */
@ApplicationScoped
public class TokenStatePurge implements Purgeable {

    private final EntityManager em;

    public TokenStatePurge(EntityManager em) {
        this.em = em;
    }

    @Override
    public Map<String, Integer> purge(Instant now, GatehouseConfig.Retention retention, int limit) {
        return Map.of("oidc_token_states", em.createNativeQuery("delete from oidc_token_states where ctid in "
                        + "(select ctid from oidc_token_states where expires_at < ?1 limit ?2)")
                .setParameter(1, now).setParameter(2, limit).executeUpdate());
    }
}
