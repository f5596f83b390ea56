package io.gatehouse.org;

import io.gatehouse.platform.SignInLookups;
import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.gatehouse.testing.Api.operator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An org's code and name by id ({@link OrgService#labelOf}, what every token grant reads) are held in memory
 * and follow a rename at once when made through Gatehouse, and within moments when made behind its back.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class OrgLabelsTest {

    @Inject
    OrgService orgs;
    @Inject
    SignInLookups lookups;

    private Optional<OrgService.Label> label(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> orgs.labelOf(id));
    }

    @Test
    void anOrgsLabelIsHeldAndFollowsItsChanges() {
        String code = Api.createOrg("held");
        UUID id = UUID.fromString((String) Db.value("select id::text from orgs where code = ?", code));
        // Creating the org dropped every lookup (at its commit, and again when its announcement arrives).
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        boolean held;
        do {
            assertEquals(new OrgService.Label(code, "Org " + code), label(id).orElseThrow());
            held = lookups.size() > 0;
        } while (!held && System.nanoTime() < deadline);
        assertTrue(held, "the label is held once read");

        operator().body(Map.of("name", "Renamed")).patch("/v1/orgs/" + code).then().statusCode(200);
        assertEquals("Renamed", label(id).orElseThrow().name(), "a rename through Gatehouse shows at once");

        Db.execute("update orgs set name = 'Behind its back' where id = ?::uuid", id.toString());
        deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (!"Behind its back".equals(label(id).orElseThrow().name())) {
            if (System.nanoTime() > deadline) {
                fail("a rename in the database (another replica's) did not show within 2 s");
            }
        }
        assertEquals(Optional.empty(), label(UUID.randomUUID()), "an unknown org has no label");
    }
}
