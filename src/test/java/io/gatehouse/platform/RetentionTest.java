package io.gatehouse.platform;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The retention purge against real rows of every kept table: what is past its retention goes, what is
 * not stays; and while another replica holds the purge's advisory lock, a run does nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class RetentionTest {

    @Inject
    RetentionPurge purge;

    private static Timestamp ago(Duration d) {
        return Timestamp.from(Instant.now().minus(d));
    }

    private static Timestamp ahead(Duration d) {
        return Timestamp.from(Instant.now().plus(d));
    }

    /** The rows of one scenario: each kind, one past its retention ("old") and one not ("kept"). */
    private record Stage(UUID orgId, String org) {
    }

    private Stage stage() {
        String org = Api.createOrg("keep");
        UUID orgId = (UUID) Db.value("select id from orgs where code = ?", org);
        UUID userId = UUID.fromString(Api.createUser(org, Api.newCode("kept")));
        String connection = operator().body(Map.of("type", "saml")).post("/v1/orgs/" + org + "/connections")
                .then().statusCode(201).extract().path("id");
        session(orgId, userId, "old-expired", ago(Duration.ofDays(8)), null);
        session(orgId, userId, "old-revoked", ahead(Duration.ofHours(1)), ago(Duration.ofDays(8)));
        session(orgId, userId, "kept-recently-expired", ago(Duration.ofDays(1)), null);
        session(orgId, userId, "kept-active", ahead(Duration.ofHours(1)), null);
        UUID active = sessionId(orgId, "kept-active");
        code("old-code-of-old-session-" + orgId, sessionId(orgId, "old-expired"), ahead(Duration.ofMinutes(1)));
        code("old-code-" + orgId, active, ago(Duration.ofDays(2)));
        code("kept-code-" + orgId, active, ago(Duration.ofHours(1)));
        Db.execute("insert into login_attempts (id, org_id, protocol, outcome, created_at, login_hint) values (?, ?, 'password', 'failure', ?, 'old')",
                UUID.randomUUID(), orgId, ago(Duration.ofDays(91)));
        Db.execute("insert into login_attempts (id, org_id, protocol, outcome, created_at, login_hint) values (?, ?, 'password', 'failure', ?, 'kept')",
                UUID.randomUUID(), orgId, ago(Duration.ofDays(89)));
        Db.execute("insert into saml_assertions (org_id, assertion_id, expires_at) values (?, 'old', ?), (?, 'kept', ?)",
                orgId, ago(Duration.ofSeconds(1)), orgId, ahead(Duration.ofMinutes(5)));
        for (String[] r : new String[][] {{"old", "P2D"}, {"kept", "PT1H"}}) {
            Db.execute("insert into saml_requests (id, org_id, connection_id, relay_state, delivery, created_at, expires_at) "
                            + "values (?, ?, ?, ?, '{}'::jsonb, ?, ?)", r[0] + "-" + orgId, orgId, UUID.fromString(connection),
                    r[0] + "-relay-" + orgId, ago(Duration.parse(r[1]).plusMinutes(10)), ago(Duration.parse(r[1])));
        }
        Db.execute("insert into oidc_token_states (handle_hash, id_token, expires_at) values (?, 'x', ?), (?, 'x', ?)",
                "old-" + orgId, ago(Duration.ofSeconds(1)), "kept-" + orgId, ahead(Duration.ofMinutes(5)));
        return new Stage(orgId, org);
    }

    private static void session(UUID orgId, UUID userId, String ref, Timestamp expires, Timestamp revoked) {
        Db.execute("insert into sessions (id, user_id, org_id, amr, idp_session_ref, created_at, last_used_at, expires_at, revoked_at) "
                        + "values (?, ?, ?, 'pwd', ?, ?, ?, ?, ?)", UUID.randomUUID(), userId, orgId, ref,
                ago(Duration.ofDays(30)), ago(Duration.ofDays(9)), expires, revoked);
    }

    private static UUID sessionId(UUID orgId, String ref) {
        return (UUID) Db.value("select id from sessions where org_id = ? and idp_session_ref = ?", orgId, ref);
    }

    private static void code(String hash, UUID session, Timestamp expires) {
        Db.execute("insert into authorization_codes (code_hash, session_id, client_id, redirect_uri, code_challenge, created_at, expires_at) "
                + "values (?, ?, 'mobile', 'x', 'x', ?, ?)", hash, session, ago(Duration.ofDays(3)), expires);
    }

    /** What of the stage is left, as "table:name" lines, sorted. */
    private static String left(Stage s) {
        return String.join(",", Db.column("""
                select x from (
                  select 'sessions:' || idp_session_ref x from sessions where org_id = ?1
                  union all select 'codes:' || split_part(code_hash, '-code', 1) from authorization_codes c join sessions s on s.id = c.session_id where s.org_id = ?1
                  union all select 'attempts:' || login_hint from login_attempts where org_id = ?1
                  union all select 'assertions:' || assertion_id from saml_assertions where org_id = ?1
                  union all select 'requests:' || split_part(id, '-', 1) from saml_requests where org_id = ?1
                  union all select 'oidc:' || split_part(handle_hash, '-', 1) from oidc_token_states where handle_hash like '%' || ?1::text
                ) t order by x""".replace("?1", "'" + s.orgId() + "'")).stream().map(String::valueOf).toList());
    }

    @Test
    void whatIsPastItsRetentionGoesAndTheRestStays() {
        Stage s = stage();
        assertEquals("assertions:kept,assertions:old,attempts:kept,attempts:old,codes:kept,codes:old,codes:old,"
                + "oidc:kept,oidc:old,requests:kept,requests:old,sessions:kept-active,sessions:kept-recently-expired,"
                + "sessions:old-expired,sessions:old-revoked", left(s));
        Optional<Map<String, Integer>> run = purge.run();
        assertTrue(run.isPresent());
        for (String table : new String[] {"sessions", "authorization_codes", "login_attempts", "saml_assertions", "saml_requests", "oidc_token_states"}) {
            assertTrue(run.get().getOrDefault(table, 0) >= 1, table + " " + run.get());
        }
        assertEquals("assertions:kept,attempts:kept,codes:kept,oidc:kept,requests:kept,sessions:kept-active,"
                + "sessions:kept-recently-expired", left(s));
    }

    @Test
    void whileAnotherReplicaPurgesARunDoesNothing() throws Exception {
        Stage s = stage();
        String before = left(s);
        try (Connection other = DriverManager.getConnection(PostgresResource.jdbcUrl(), "postgres", "postgres");
             PreparedStatement lock = other.prepareStatement("select pg_advisory_lock(?)")) {
            lock.setLong(1, RetentionPurge.LOCK_KEY);
            lock.execute();
            assertEquals(Optional.empty(), purge.run());
            assertEquals(before, left(s));
            // The other replica's run ends (its transaction's end releases the lock; here, explicitly).
            try (PreparedStatement unlock = other.prepareStatement("select pg_advisory_unlock(?)")) {
                unlock.setLong(1, RetentionPurge.LOCK_KEY);
                unlock.execute();
            }
        }
        assertTrue(purge.run().isPresent(), "the lock is free again");
        assertTrue(left(s).length() < before.length());
    }
}
