package io.gatehouse.login;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Purgeable;
import io.gatehouse.token.Secrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Test sign-ins run from setup: a real sign-in through one connection (a draft, or one that is off) whose
 * end is a report instead of a session: what the IdP sent, and what Gatehouse would make of it
 * ({@link LoginCompletion#preview}), or the refusal with its expected and received values. Only the browser
 * that started a test (it holds {@link #COOKIE}) can finish it; tests are kept a day.
 */
@ApplicationScoped
public class TestSignIns implements Purgeable {

    /** The cookie of the browser that started a test: its secret, whose SHA-256 the test keeps. */
    public static final String COOKIE = "gatehouse_test";
    static final Duration LIFETIME = Duration.ofMinutes(15);

    private final EntityManager em;
    private final Clock clock;
    private final ObjectMapper json;
    private final io.gatehouse.org.ConnectionService connections;

    public TestSignIns(EntityManager em, Clock clock, ObjectMapper json, io.gatehouse.org.ConnectionService connections) {
        this.connections = connections;
        this.em = em;
        this.clock = clock;
        this.json = json;
    }

    /** A started test: its id, and the secret for the starting browser's cookie. */
    public record Started(UUID id, String browserSecret) {
        /** The Set-Cookie value (SameSite=None: the IdP's answer comes back as a cross-site POST). */
        public String cookie() {
            return COOKIE + "=" + browserSecret + "; Path=/; Max-Age=" + LIFETIME.toSeconds() + "; Secure; HttpOnly; SameSite=None";
        }
    }

    /** A test's report, once it has one. */
    public record Report(UUID id, UUID connectionId, Instant createdAt, Instant finishedAt, Map<String, Object> result) {
    }

    @Transactional
    public Started start(UUID orgId, UUID connectionId) {
        String secret = Secrets.newToken();
        UUID id = UUID.randomUUID();
        em.createNativeQuery("insert into setup_tests (id, org_id, connection_id, browser_binding, created_at) values (?1, ?2, ?3, ?4, ?5)")
                .setParameter(1, id).setParameter(2, orgId).setParameter(3, connectionId).setParameter(4, Secrets.hash(secret))
                .setParameter(5, clock.instant()).executeUpdate();
        return new Started(id, secret);
    }

    /**
     * Whether this test of this org and connection is waiting for its answer, and {@code cookieSecret} (the
     * browser's {@link #COOKIE}) is the one of the browser that started it.
     */
    @Transactional
    @SuppressWarnings("unchecked")
    public boolean waitingFor(UUID testId, UUID orgId, UUID connectionId, String cookieSecret) {
        if (testId == null || cookieSecret == null) {
            return false;
        }
        List<String> bindings = em.createNativeQuery("select browser_binding from setup_tests where id = ?1 and org_id = ?2 "
                        + "and connection_id = ?3 and finished_at is null and created_at > ?4")
                .setParameter(1, testId).setParameter(2, orgId).setParameter(3, connectionId)
                .setParameter(4, clock.instant().minus(LIFETIME)).getResultList();
        return !bindings.isEmpty() && MessageDigest.isEqual(bindings.get(0).getBytes(StandardCharsets.US_ASCII),
                Secrets.hash(cookieSecret).getBytes(StandardCharsets.US_ASCII));
    }

    /** Whether a test through this connection of the org is waiting for its answer (OIDC callbacks of an off connection). */
    @Transactional
    public boolean anyWaiting(UUID orgId, UUID connectionId) {
        return ((Number) em.createNativeQuery("select count(*) from setup_tests where org_id = ?1 and connection_id = ?2 "
                        + "and finished_at is null and created_at > ?3").setParameter(1, orgId).setParameter(2, connectionId)
                .setParameter(3, clock.instant().minus(LIFETIME)).getSingleResult()).longValue() > 0;
    }

    /** The connection a waiting test of the org runs through. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<UUID> connectionOf(UUID testId, UUID orgId) {
        List<UUID> rows = em.createNativeQuery("select connection_id from setup_tests where id = ?1 and org_id = ?2 "
                        + "and finished_at is null and created_at > ?3").setParameter(1, testId).setParameter(2, orgId)
                .setParameter(3, clock.instant().minus(LIFETIME)).getResultList();
        return rows.stream().findFirst();
    }

    /** A test that reached the identity: what the IdP sent, and the preview of what a sign-in would do. */
    public void finish(UUID testId, ExternalIdentity identity, Map<String, Object> sent, LoginCompletion.Preview preview, String protocol) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("protocol", protocol);
        result.put("outcome", preview.outcome());
        Map<String, Object> person = new LinkedHashMap<>();
        person.put("subject", identity.subject());
        person.put("email", identity.email());
        person.put("email_verified", identity.emailVerified());
        person.put("email_trusted", preview.emailTrusted());
        person.put("name", identity.displayName());
        person.put("groups", identity.groups());
        result.put("identity", person);
        result.put("sent", sent);
        if (preview.refusal() != null) {
            result.put("reason", preview.refusal().code());
            result.put("fix", ErrorPage.explain(preview.refusal()));
        } else {
            Map<String, Object> user = new LinkedHashMap<>();
            user.put("id", preview.userId());
            user.put("username", preview.username());
            user.put("email", preview.email());
            user.put("name", preview.displayName());
            user.put("roles", preview.roles());
            result.put("user", user);
        }
        store(testId, result);
        if (preview.refusal() == null) {
            connections.markTested(identity.orgId(), identity.connectionId());
        }
    }

    /** A test refused before Gatehouse knew who it was: the reason, the expected and received values, the attempt. */
    public void fail(UUID testId, LoginFailure reason, Map<String, String> detail, UUID attemptId, String protocol) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("protocol", protocol);
        result.put("outcome", "refused");
        result.put("reason", reason.code());
        result.put("fix", ErrorPage.explain(reason));
        result.put("detail", detail);
        result.put("attempt_id", attemptId);
        store(testId, result);
    }

    @Transactional
    void store(UUID testId, Map<String, Object> result) {
        try {
            em.createNativeQuery("update setup_tests set finished_at = ?2, result = cast(?3 as jsonb) where id = ?1 and finished_at is null")
                    .setParameter(1, testId).setParameter(2, clock.instant()).setParameter(3, json.writeValueAsString(result))
                    .executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A test of this org, finished or not. */
    @Transactional
    @SuppressWarnings("unchecked")
    public Optional<Report> report(UUID orgId, UUID testId) {
        List<Object[]> rows = em.createNativeQuery("select id, connection_id, created_at, finished_at, cast(result as text) "
                + "from setup_tests where id = ?1 and org_id = ?2").setParameter(1, testId).setParameter(2, orgId).getResultList();
        return rows.stream().findFirst().map(r -> new Report((UUID) r[0], (UUID) r[1], (Instant) r[2], (Instant) r[3],
                r[4] == null ? null : read((String) r[4])));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> read(String text) {
        try {
            return json.readValue(text, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, Integer> purge(Instant now, GatehouseConfig.Retention retention, int limit) {
        int tests = em.createNativeQuery("delete from setup_tests where ctid in (select ctid from setup_tests where created_at < ?1 limit ?2)")
                .setParameter(1, now.minus(Duration.ofDays(1))).setParameter(2, limit).executeUpdate();
        return Map.of("setup_tests", tests);
    }
}
