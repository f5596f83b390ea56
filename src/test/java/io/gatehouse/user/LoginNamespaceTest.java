package io.gatehouse.user;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.gatehouse.testing.Api.as;
import static io.gatehouse.testing.Api.operator;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One login namespace: what a person types (username, company code, work email) can never be made to
 * lead into another org by another org's admin. Each refusal changes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class LoginNamespaceTest {

    @Inject
    NamespaceAudit audit;

    private static void refusedAsUsername(String org, String admin, String username) {
        String before = Db.snapshot();
        as(admin).body(Map.of("username", username, "password", Api.PASSWORD)).post("/v1/orgs/" + org + "/users")
                .then().statusCode(400).body("errors.field", contains("username"));
        assertEquals(before, Db.snapshot(), username);
    }

    @Test
    void anotherOrgsCodeCannotBeAUsernameInAnyCase() {
        String victim = Api.createOrg("victim");
        String org = Api.createOrg("taker");
        String admin = Api.adminOf(org);
        refusedAsUsername(org, admin, victim);
        refusedAsUsername(org, admin, victim.toUpperCase());
        refusedAsUsername(org, admin, org);
        refusedAsUsername(org, admin, victim + "+jane");
        // Its own part of the namespace is the org's to use.
        as(admin).body(Map.of("username", org + "+jane", "password", Api.PASSWORD)).post("/v1/orgs/" + org + "/users")
                .then().statusCode(201);
    }

    @Test
    void aUsernameTakenFirstBlocksTheCompanyCodeLater() {
        String org = Api.createOrg("early");
        String future = Api.newCode("future");
        Api.createUser(org, future, "member");
        String before = Db.snapshot();
        operator().body(Map.of("code", future, "name", "Late")).post("/v1/orgs").then().statusCode(409);
        assertEquals(before, Db.snapshot());
        // Typing it still leads where it did.
        assertEquals(1L, Db.count("select count(*) from users where username = ?", future));
    }

    @Test
    void anEmailShapedUsernameBelongsToTheOrgThatVerifiedItsDomain() {
        String owner = Api.createOrg("mailowner");
        String domain = Api.newCode("mo") + ".example.org";
        operator().body(Map.of("domains", List.of(domain))).patch("/v1/orgs/" + owner).then().statusCode(200);
        String org = Api.createOrg("mailtaker");
        String admin = Api.adminOf(org);
        refusedAsUsername(org, admin, "ceo@" + domain);
        refusedAsUsername(org, admin, "jane@" + Api.newCode("nobody") + ".example.org");
        as(Api.adminOf(owner)).body(Map.of("username", "ceo@" + domain, "password", Api.PASSWORD))
                .post("/v1/orgs/" + owner + "/users").then().statusCode(201);
    }

    @Test
    void existingUsernamesThatBreakTheRulesAreReportedNotRenamed() {
        String org = Api.createOrg("legacy");
        String other = Api.createOrg("legacyother");
        String id = Api.createUser(org, Api.newCode("old"), "member");
        Db.value("update users set username = ? where id = ?::uuid returning 1", other, id);
        List<String> found = audit.violations();
        assertTrue(found.stream().anyMatch(line -> line.contains("username '" + other + "'") && line.contains("company code")), found.toString());
        assertEquals(other, Db.value("select username from users where id = ?::uuid", id));
        Db.value("update users set username = ? where id = ?::uuid returning 1", "someone@" + Api.newCode("x") + ".example.org", id);
        assertTrue(audit.violations().stream().anyMatch(line -> line.contains(id) && line.contains("email-shaped")));
    }
}
