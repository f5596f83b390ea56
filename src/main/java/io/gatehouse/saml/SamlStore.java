package io.gatehouse.saml;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Purgeable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SAML state shared by every replica through PostgreSQL: the AuthnRequests waiting for their answer
 * (consumed by exactly one {@code update … where consumed_at is null}), and the replay store of
 * assertion IDs, each kept until its assertion expires.
 */
@ApplicationScoped
public class SamlStore implements Purgeable {

    private final EntityManager em;
    private final Clock clock;

    public SamlStore(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    /**
     * A stored AuthnRequest: whose it is, how the sign-in is delivered (JSON), and the SHA-256 (hex) of
     * the secret the browser that started it holds.
     */
    public record PendingRequest(String id, UUID orgId, UUID connectionId, String delivery, String browserBinding) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void saveRequest(String id, UUID orgId, UUID connectionId, String relayState, String deliveryJson,
                            String browserBinding, Instant expiresAt) {
        em.createNativeQuery("insert into saml_requests (id, org_id, connection_id, relay_state, delivery, browser_binding, "
                        + "created_at, expires_at) values (?1, ?2, ?3, ?4, cast(?5 as jsonb), ?6, ?7, ?8)")
                .setParameter(1, id).setParameter(2, orgId).setParameter(3, connectionId).setParameter(4, relayState)
                .setParameter(5, deliveryJson).setParameter(6, browserBinding).setParameter(7, clock.instant())
                .setParameter(8, expiresAt).executeUpdate();
    }

    /** The unconsumed, unexpired request of this org with this ID: for the validator's InResponseTo check. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<PendingRequest> pending(UUID orgId, String id) {
        List<Object[]> rows = em.createNativeQuery("select id, org_id, connection_id, cast(delivery as text), browser_binding from saml_requests "
                        + "where id = ?1 and org_id = ?2 and kind = 'authn' and consumed_at is null and expires_at > ?3")
                .setParameter(1, id).setParameter(2, orgId).setParameter(3, clock.instant()).getResultList();
        return rows.stream().findFirst().map(r -> new PendingRequest((String) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], (String) r[4]));
    }

    /** A LogoutRequest Gatehouse sent: its connection, RelayState, and (HTTP-POST binding) its signed message. */
    public record PendingLogout(String id, UUID connectionId, String relayState, String message) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void saveLogoutRequest(String id, UUID orgId, UUID connectionId, String relayState, String message, Instant expiresAt) {
        em.createNativeQuery("insert into saml_requests (id, org_id, connection_id, relay_state, delivery, kind, message, "
                        + "created_at, expires_at) values (?1, ?2, ?3, ?4, cast('{}' as jsonb), 'logout', ?5, ?6, ?7)")
                .setParameter(1, id).setParameter(2, orgId).setParameter(3, connectionId).setParameter(4, relayState)
                .setParameter(5, message).setParameter(6, clock.instant()).setParameter(7, expiresAt).executeUpdate();
    }

    /** The unanswered, unexpired LogoutRequest of this org with this ID. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<PendingLogout> pendingLogout(UUID orgId, String id) {
        List<Object[]> rows = em.createNativeQuery("select id, connection_id, relay_state, message from saml_requests "
                        + "where id = ?1 and org_id = ?2 and kind = 'logout' and consumed_at is null and expires_at > ?3")
                .setParameter(1, id).setParameter(2, orgId).setParameter(3, clock.instant()).getResultList();
        return rows.stream().findFirst().map(r -> new PendingLogout((String) r[0], (UUID) r[1], (String) r[2], (String) r[3]));
    }

    /** Marks the request answered; false when another response already consumed it (or it expired meanwhile). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean consume(UUID orgId, String id) {
        return em.createNativeQuery("update saml_requests set consumed_at = ?3 "
                        + "where id = ?1 and org_id = ?2 and consumed_at is null and expires_at > ?3")
                .setParameter(1, id).setParameter(2, orgId).setParameter(3, clock.instant()).executeUpdate() == 1;
    }

    /** Records the assertion ID; false when it was already there: a replay. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstUse(UUID orgId, String assertionId, Instant keepUntil) {
        return em.createNativeQuery("insert into saml_assertions (org_id, assertion_id, expires_at) values (?1, ?2, ?3) "
                        + "on conflict do nothing")
                .setParameter(1, orgId).setParameter(2, assertionId).setParameter(3, keepUntil).executeUpdate() == 1;
    }

    /**
     * Drops replay entries whose assertions have expired (a replay would be refused as expired anyway),
     * and requests past their retention after expiry.
     */
    @Override
    public Map<String, Integer> purge(Instant now, GatehouseConfig.Retention retention, int limit) {
        int assertions = em.createNativeQuery("delete from saml_assertions where ctid in "
                        + "(select ctid from saml_assertions where expires_at < ?1 limit ?2)")
                .setParameter(1, now).setParameter(2, limit).executeUpdate();
        int requests = em.createNativeQuery("delete from saml_requests where ctid in "
                        + "(select ctid from saml_requests where expires_at < ?1 limit ?2)")
                .setParameter(1, now.minus(retention.samlRequests())).setParameter(2, limit).executeUpdate();
        return Map.of("saml_assertions", assertions, "saml_requests", requests);
    }
}
