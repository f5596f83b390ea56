package io.gatehouse.oidc;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Purgeable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.Map;

/**
 * OIDC flow state ({@link ServerSideTokenState}'s rows) past its expiry: the sign-in it belonged to can
 * no longer finish; and back-channel logout token ids past their tokens' expiry. A bean of its own: {@code ServerSideTokenState} is a CDI alternative, and an
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
        int states = em.createNativeQuery("delete from oidc_token_states where ctid in "
                        + "(select ctid from oidc_token_states where expires_at < ?1 limit ?2)")
                .setParameter(1, now).setParameter(2, limit).executeUpdate();
        // A logout token's jti is kept until the token would have expired: a replay after that is refused as expired.
        int jtis = em.createNativeQuery("delete from logout_token_ids where ctid in "
                        + "(select ctid from logout_token_ids where expires_at < ?1 limit ?2)")
                .setParameter(1, now).setParameter(2, limit).executeUpdate();
        return Map.of("oidc_token_states", states, "logout_token_ids", jtis);
    }
}
