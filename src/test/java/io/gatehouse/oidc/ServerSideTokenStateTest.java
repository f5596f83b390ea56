package io.gatehouse.oidc;

import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.token.Secrets;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class ServerSideTokenStateTest {

    @Inject
    ServerSideTokenState states;

    @Test
    void theIdTokenIsKeptEncryptedUnderTheHashOfARandomHandle() {
        String idToken = "eyJhbGciOiJSUzI1NiJ9." + "g".repeat(9000) + ".sig";
        String handle = states.save(idToken);
        assertEquals(43, handle.length());
        assertEquals(idToken, states.find(handle));
        assertEquals(1, Db.count("select count(*) from oidc_token_states where handle_hash = ?", Secrets.hash(handle)));
        String stored = (String) Db.value("select id_token from oidc_token_states where handle_hash = ?", Secrets.hash(handle));
        assertFalse(stored.contains("ggggg"), "stored encrypted");
        assertEquals(0, Db.count("select count(*) from oidc_token_states where handle_hash = ?", handle));
    }

    @Test
    void anUnknownOrMalformedHandleFindsNothing() {
        states.save("a.b.c");
        assertNull(states.find(Secrets.newToken()));
        assertNull(states.find("short"));
        assertNull(states.find(null));
    }

    @jakarta.inject.Inject
    TokenStatePurge purge;

    @Test
    void anEndedSessionIsGone() {
        String handle = states.save("a.b.c");
        states.delete(handle);
        assertNull(states.find(handle));
        assertEquals(0, Db.count("select count(*) from oidc_token_states where handle_hash = ?", Secrets.hash(handle)));
    }

    @Test
    void anExpiredStateIsNotReadAndIsPurged() {
        String handle = states.save("a.b.c");
        Db.column("update oidc_token_states set expires_at = now() - interval '1 second' where handle_hash = ? returning 1",
                Secrets.hash(handle));
        assertNull(states.find(handle));
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> purge.purge(java.time.Instant.now(), null, 1000));
        assertEquals(0, Db.count("select count(*) from oidc_token_states where handle_hash = ?", Secrets.hash(handle)));
    }
}
