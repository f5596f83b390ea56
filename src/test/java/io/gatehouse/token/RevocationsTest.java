package io.gatehouse.token;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@WithTestResource(PostgresResource.class)
class RevocationsTest {

    @Inject
    Revocations revocations;

    @Test
    void reconcileReadsSessionsRevokedInTheDatabase() {
        String org = Api.createOrg("reconcile");
        String username = Api.newCode("u");
        Api.createUser(org, username, "member");
        Api.login(username);
        UUID session = (UUID) Db.value("select s.id from sessions s join users u on u.id = s.user_id where u.username = ?", username);
        // Revoked behind Gatehouse's back (no notification): only the reconcile can learn of it.
        Db.value("update sessions set revoked_at = now() where id = ? returning 1", session);
        revocations.reconcile();
        assertTrue(revocations.isRevoked(session));
    }
}
