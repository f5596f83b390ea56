package io.gatehouse.org;

import io.gatehouse.platform.SqlValues;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The domain claims waiting for their TXT record: every finder takes the org, except the scheduled re-check's. */
@ApplicationScoped
public class DomainClaims {

    private final EntityManager em;

    public DomainClaims(EntityManager em) {
        this.em = em;
    }

    /** One claim: the org, the domain, its token, and how its checks went. */
    public record Claim(UUID orgId, String domain, String token, Instant createdAt, Instant expiresAt,
                        Instant lastCheckedAt, String lastProblem) {
    }

    private static final String COLUMNS = "select org_id, domain, token, created_at, expires_at, last_checked_at, last_problem from domain_claims ";

    @Transactional(Transactional.TxType.MANDATORY)
    public List<Claim> listByOrg(UUID orgId) {
        return claims(em.createNativeQuery(COLUMNS + "where org_id = ?1 order by domain").setParameter(1, orgId).getResultList());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Claim> find(UUID orgId, String domain) {
        return claims(em.createNativeQuery(COLUMNS + "where org_id = ?1 and domain = ?2").setParameter(1, orgId)
                .setParameter(2, domain).getResultList()).stream().findFirst();
    }

    /** Claims still waiting to be proven, oldest check first: for the scheduled re-check. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<Claim> pending(Instant now, int limit) {
        return claims(em.createNativeQuery(COLUMNS + "where expires_at > ?1 order by last_checked_at nulls first limit ?2")
                .setParameter(1, now).setParameter(2, limit).getResultList());
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void insert(Claim claim) {
        em.createNativeQuery("insert into domain_claims (org_id, domain, token, created_at, expires_at) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, claim.orgId()).setParameter(2, claim.domain()).setParameter(3, claim.token())
                .setParameter(4, claim.createdAt()).setParameter(5, claim.expiresAt()).executeUpdate();
    }

    /** An expired claim made again: the same token, a new lifetime. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void renew(UUID orgId, String domain, Instant expiresAt) {
        em.createNativeQuery("update domain_claims set expires_at = ?3, last_problem = null where org_id = ?1 and domain = ?2")
                .setParameter(1, orgId).setParameter(2, domain).setParameter(3, expiresAt).executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void checked(UUID orgId, String domain, Instant at, String problem) {
        em.createNativeQuery("update domain_claims set last_checked_at = ?3, last_problem = ?4 where org_id = ?1 and domain = ?2")
                .setParameter(1, orgId).setParameter(2, domain).setParameter(3, at).setParameter(4, problem).executeUpdate();
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public boolean delete(UUID orgId, String domain) {
        return em.createNativeQuery("delete from domain_claims where org_id = ?1 and domain = ?2")
                .setParameter(1, orgId).setParameter(2, domain).executeUpdate() == 1;
    }

    @SuppressWarnings("unchecked")
    private static List<Claim> claims(List<?> rows) {
        return ((List<Object[]>) rows).stream().map(r -> new Claim((UUID) r[0], (String) r[1], (String) r[2], SqlValues.instant(r[3]),
                SqlValues.instant(r[4]), SqlValues.instant(r[5]), (String) r[6])).toList();
    }
}
