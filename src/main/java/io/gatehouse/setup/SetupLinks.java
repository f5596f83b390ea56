package io.gatehouse.setup;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Callers;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Purgeable;
import io.gatehouse.platform.PublicUrls;
import io.gatehouse.token.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Setup links (WorkOS Admin Portal style): made by the operator or an org admin for one org and some
 * scopes, valid until they expire or are revoked. The secret is shown once, in the link's fragment (so it
 * never reaches a server log or a Referer), and kept only as its SHA-256. Opening the link exchanges the
 * secret for a page session of at most an hour (also kept hashed), which dies with its link.
 */
@ApplicationScoped
public class SetupLinks implements Purgeable {

    /** The longest a link may live. */
    static final Duration MAX_LIFETIME = Duration.ofDays(30);
    /** A page session's life, never beyond its link's. */
    static final Duration SESSION_LIFETIME = Duration.ofHours(1);
    private static final Pattern DURATION = Pattern.compile("^(\\d{1,4})([dhm])$");

    private final EntityManager em;
    private final OrgService orgs;
    private final Callers callers;
    private final PublicUrls urls;
    private final Clock clock;

    public SetupLinks(EntityManager em, OrgService orgs, Callers callers, PublicUrls urls, Clock clock) {
        this.em = em;
        this.orgs = orgs;
        this.callers = callers;
        this.urls = urls;
        this.clock = clock;
    }

    /** A link as its makers see it; {@code url} (with the secret) only in the answer that made it. */
    public record LinkView(UUID id, String url, List<String> scope, String createdBy, Instant createdAt, Instant expiresAt,
                           Instant revokedAt, Instant lastUsedAt, String status) {
    }

    /** {@code POST /v1/orgs/{org}/setup-links}: the operator or an admin of the org. */
    @Transactional
    public LinkView create(String orgRef, String expiresIn, List<String> scope) {
        Org org = orgs.administered(orgRef);
        Duration lifetime = lifetime(expiresIn);
        Set<SetupScope> scopes = scopes(scope);
        String secret = Secrets.newToken();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        var caller = callers.current();
        String createdBy = caller.operator() ? "operator" : "user:" + caller.userId();
        em.createNativeQuery("insert into setup_links (id, org_id, secret_hash, scopes, created_by, created_at, expires_at) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
                .setParameter(1, id).setParameter(2, org.getId()).setParameter(3, Secrets.hash(secret))
                .setParameter(4, wire(scopes)).setParameter(5, createdBy).setParameter(6, now)
                .setParameter(7, now.plus(lifetime)).executeUpdate();
        return new LinkView(id, urls.base() + "/setup/link#" + secret, List.copyOf(wireList(scopes)), createdBy, now,
                now.plus(lifetime), null, null, "active");
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public List<LinkView> list(String orgRef) {
        Org org = orgs.administered(orgRef);
        Instant now = clock.instant();
        List<Object[]> rows = em.createNativeQuery("select id, scopes, created_by, created_at, expires_at, revoked_at, last_used_at "
                + "from setup_links where org_id = ?1 order by created_at desc").setParameter(1, org.getId()).getResultList();
        return rows.stream().map(r -> {
            Instant expires = (Instant) r[4];
            Instant revoked = (Instant) r[5];
            return new LinkView((UUID) r[0], null, List.of(((String) r[1]).split(",")), (String) r[2], (Instant) r[3], expires,
                    revoked, (Instant) r[6], revoked != null ? "revoked" : expires.isAfter(now) ? "active" : "expired");
        }).toList();
    }

    /** Revokes the link: it, and every page session made from it, stop working at once. */
    @Transactional
    public void revoke(String orgRef, UUID id) {
        Org org = orgs.administered(orgRef);
        int changed = em.createNativeQuery("update setup_links set revoked_at = coalesce(revoked_at, ?3) where id = ?1 and org_id = ?2")
                .setParameter(1, id).setParameter(2, org.getId()).setParameter(3, clock.instant()).executeUpdate();
        if (changed == 0) {
            throw ApiException.notFound("The setup link");
        }
    }

    /**
     * Trades a link's secret for a page session token: empty for an unknown, expired or revoked link (all
     * alike). The session lives an hour, never past its link.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<String> exchange(String secret) {
        if (secret == null || secret.isBlank() || secret.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Object[]> rows = em.createNativeQuery("select id, expires_at from setup_links where secret_hash = ?1 "
                        + "and revoked_at is null and expires_at > ?2").setParameter(1, Secrets.hash(secret.strip()))
                .setParameter(2, now).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        UUID linkId = (UUID) rows.get(0)[0];
        Instant linkExpires = (Instant) rows.get(0)[1];
        Instant expires = now.plus(SESSION_LIFETIME).isBefore(linkExpires) ? now.plus(SESSION_LIFETIME) : linkExpires;
        String token = Secrets.newToken();
        em.createNativeQuery("insert into setup_sessions (token_hash, link_id, created_at, expires_at) values (?1, ?2, ?3, ?4)")
                .setParameter(1, Secrets.hash(token)).setParameter(2, linkId).setParameter(3, now).setParameter(4, expires)
                .executeUpdate();
        em.createNativeQuery("update setup_links set last_used_at = ?2 where id = ?1").setParameter(1, linkId).setParameter(2, now)
                .executeUpdate();
        return Optional.of(token);
    }

    /** The access a page session token gives now: empty once it, or its link, has expired or been revoked. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<SetupAccess> session(String token) {
        if (token == null || token.isBlank() || token.length() > 200) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        List<Object[]> rows = em.createNativeQuery("select l.id, l.org_id, l.scopes from setup_sessions s "
                        + "join setup_links l on l.id = s.link_id where s.token_hash = ?1 and s.expires_at > ?2 "
                        + "and l.revoked_at is null and l.expires_at > ?2").setParameter(1, Secrets.hash(token))
                .setParameter(2, now).getResultList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = rows.get(0);
        return orgs.findById((UUID) r[1]).map(org -> new SetupAccess(org.getId(), org.getCode(), org.getName(),
                Arrays.stream(((String) r[2]).split(",")).map(s -> SetupScope.of(s).orElseThrow())
                        .collect(Collectors.toCollection(LinkedHashSet::new)), (UUID) r[0]));
    }

    /** Ends a page session (its browser leaves setup). */
    @Transactional
    public void endSession(String token) {
        if (token != null) {
            em.createNativeQuery("delete from setup_sessions where token_hash = ?1").setParameter(1, Secrets.hash(token)).executeUpdate();
        }
    }

    @Override
    public Map<String, Integer> purge(Instant now, GatehouseConfig.Retention retention, int limit) {
        int sessions = em.createNativeQuery("delete from setup_sessions where ctid in "
                + "(select ctid from setup_sessions where expires_at < ?1 limit ?2)").setParameter(1, now).setParameter(2, limit).executeUpdate();
        return Map.of("setup_sessions", sessions);
    }

    /** {@code 7d}, {@code 12h}, {@code 90m}; default 7 days; at most 30 days. */
    static Duration lifetime(String expiresIn) {
        if (expiresIn == null) {
            return Duration.ofDays(7);
        }
        Matcher m = DURATION.matcher(expiresIn.strip());
        if (!m.matches()) {
            throw ApiException.invalidField("expires_in", "must be a number of days, hours or minutes, such as 7d, 12h or 90m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMinutes(n);
        };
        if (d.isZero() || d.compareTo(MAX_LIFETIME) > 0) {
            throw ApiException.invalidField("expires_in", "must be more than zero and at most 30d");
        }
        return d;
    }

    static Set<SetupScope> scopes(List<String> scope) {
        if (scope == null) {
            return new LinkedHashSet<>(List.of(SetupScope.values()));
        }
        if (scope.isEmpty()) {
            throw ApiException.invalidField("scope", "must name at least one of sso, domains, directory");
        }
        Set<SetupScope> out = new LinkedHashSet<>();
        for (String s : scope) {
            out.add(SetupScope.of(s).orElseThrow(() -> ApiException.invalidField("scope",
                    "may only hold sso, domains and directory; " + s + " is not one of them")));
        }
        return out;
    }

    private static String wire(Set<SetupScope> scopes) {
        return String.join(",", wireList(scopes));
    }

    private static List<String> wireList(Set<SetupScope> scopes) {
        return scopes.stream().map(SetupScope::wire).toList();
    }
}
