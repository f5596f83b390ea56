package io.gatehouse.token;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Signing keys. Not tenant data: one key set serves the whole deployment. */
@ApplicationScoped
public class SigningKeyRepository implements PanacheRepositoryBase<SigningKey, UUID> {

    public Optional<SigningKey> findActive() {
        return find("status", "active").firstResultOptional();
    }

    /** The active key and every key retired after {@code retiredSince}: what the JWKS publishes. */
    public List<SigningKey> listPublished(Instant retiredSince) {
        return list("status = 'active' or retiredAt > ?1", Sort.by("createdAt").descending(), retiredSince);
    }

    /** Tells every replica to reload the keys, when the transaction commits. */
    public void notifyChanged() {
        getEntityManager().createNativeQuery("select pg_notify('" + Revocations.KEYS_CHANNEL + "', '')").getSingleResult();
    }

    /** Serializes key creation and rotation across replicas for the rest of the transaction. */
    public void lockForCreation() {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(7262001)").getSingleResult();
    }
}
