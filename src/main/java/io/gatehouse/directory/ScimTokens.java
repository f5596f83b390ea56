package io.gatehouse.directory;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.PublicUrls;
import io.gatehouse.platform.SqlValues;
import io.gatehouse.token.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * An org's SCIM bearer tokens: made by its admin, shown once, kept only as a hash, several at a time
 * (rotation), revocable, each with when it was last used. A token does SCIM for its org and nothing else.
 */
@ApplicationScoped
public class ScimTokens {

    /** What every SCIM token starts with (so a leaked one is recognisable in a secret scanner). */
    static final String PREFIX = "ghscim_";

    private final EntityManager em;
    private final OrgService orgs;
    private final PublicUrls urls;
    private final Clock clock;

    public ScimTokens(EntityManager em, OrgService orgs, PublicUrls urls, Clock clock) {
        this.em = em;
        this.orgs = orgs;
        this.urls = urls;
        this.clock = clock;
    }

    /** A token as listed: never its secret. */
    public record TokenView(UUID id, String name, Instant createdAt, Instant lastUsedAt, Instant revokedAt) {
    }

    /** A new token: the secret, shown this once, and where SCIM clients send it. */
    public record NewToken(UUID id, String name, String token, String scimBaseUrl, Instant createdAt) {
    }

    public String baseUrl(Org org) {
        return urls.base() + "/scim/v2/" + org.getCode();
    }

    @Transactional
    public NewToken create(String orgRef, String name) {
        Org org = orgs.administered(orgRef);
        String clean = name == null ? "" : name.strip();
        if (clean.isEmpty() || clean.length() > 100 || clean.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.invalidField("name", "must be 1 to 100 characters");
        }
        String token = PREFIX + Secrets.newToken();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        em.createNativeQuery("insert into scim_tokens (id, org_id, name, token_hash, created_at) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, id).setParameter(2, org.getId()).setParameter(3, clean).setParameter(4, Secrets.hash(token))
                .setParameter(5, now).executeUpdate();
        return new NewToken(id, clean, token, baseUrl(org), now);
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<TokenView> list(String orgRef) {
        Org org = orgs.administered(orgRef);
        List<Object[]> rows = em.createNativeQuery("select id, name, created_at, last_used_at, revoked_at from scim_tokens "
                + "where org_id = ?1 order by created_at, id").setParameter(1, org.getId()).getResultList();
        return rows.stream().map(r -> new TokenView((UUID) r[0], (String) r[1], SqlValues.instant(r[2]), SqlValues.instant(r[3]), SqlValues.instant(r[4]))).toList();
    }

    @Transactional
    public void revoke(String orgRef, UUID id) {
        Org org = orgs.administered(orgRef);
        int changed = em.createNativeQuery("update scim_tokens set revoked_at = coalesce(revoked_at, ?3) where id = ?1 and org_id = ?2")
                .setParameter(1, id).setParameter(2, org.getId()).setParameter(3, clock.instant()).executeUpdate();
        if (changed == 0) {
            throw ApiException.notFound("No such SCIM token.");
        }
    }

    /**
     * The org this bearer token may do SCIM for, when it is one of that org's live tokens; records its
     * use. Empty for anything else: another org's token, a revoked one, junk.
     */
    public Optional<Org> authenticate(String orgRef, String bearer) {
        if (bearer == null || !bearer.startsWith(PREFIX) || bearer.length() > 200) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<Org> org = orgs.find(orgRef);
            if (org.isEmpty()) {
                return Optional.<Org>empty();
            }
            Instant now = clock.instant();
            int used = em.createNativeQuery("update scim_tokens set last_used_at = ?3 "
                            + "where token_hash = ?1 and org_id = ?2 and revoked_at is null")
                    .setParameter(1, Secrets.hash(bearer)).setParameter(2, org.get().getId()).setParameter(3, now).executeUpdate();
            return used == 0 ? Optional.<Org>empty() : org;
        });
    }
}
