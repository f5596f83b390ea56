package io.gatehouse.user;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;

/** Identity links, always looked up within their org and connection. */
@ApplicationScoped
public class IdentityLinkRepository implements PanacheRepositoryBase<IdentityLink, UUID> {

    public Optional<IdentityLink> findByConnectionAndSubject(UUID orgId, UUID connectionId, String subject) {
        return find("orgId = ?1 and connectionId = ?2 and subject = ?3", orgId, connectionId, subject).firstResultOptional();
    }

    /**
     * Holds a transaction-scoped lock on a key (e.g. one external identity), so two first sign-ins of
     * the same person on two replicas run one after the other.
     */
    public void lock(String key) {
        getEntityManager().createNativeQuery("select pg_advisory_xact_lock(hashtextextended(?1, 0))")
                .setParameter(1, key).getSingleResult();
    }
}
