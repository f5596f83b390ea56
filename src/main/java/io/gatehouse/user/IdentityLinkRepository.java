package io.gatehouse.user;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.Session;

import java.util.Optional;
import java.util.UUID;

/** Identity links, always looked up within their org and connection. */
@ApplicationScoped
public class IdentityLinkRepository implements PanacheRepositoryBase<IdentityLink, UUID> {

    /** By natural id: answered without a query when this transaction has already read or made the link. */
    public Optional<IdentityLink> findByConnectionAndSubject(UUID orgId, UUID connectionId, String subject) {
        return getEntityManager().unwrap(Session.class).byNaturalId(IdentityLink.class)
                .using("orgId", orgId).using("connectionId", connectionId)
                .using("subject", subject).loadOptional();
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
