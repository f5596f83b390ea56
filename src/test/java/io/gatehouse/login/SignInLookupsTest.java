package io.gatehouse.login;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntSupplier;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code /v1/sso/start} and {@code /o/{org}} answer from memory; every change to what they read shows
 * at once when made through Gatehouse, and within moments when made in the database behind its back
 * (the triggers' notifications: what another replica's change looks like to this one).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SignInLookupsTest {

    private static Response start(String login) {
        return given().redirects().follow(false).queryParam("login", login).get("/v1/sso/start");
    }

    private static int page(String org) {
        return given().redirects().follow(false).get("/o/" + org).statusCode();
    }

    /** Polls for up to two seconds until the status is the one expected. */
    private static void eventually(int expected, IntSupplier status, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int last;
        do {
            last = status.getAsInt();
            if (last == expected) {
                return;
            }
        } while (System.nanoTime() < deadline);
        fail(what + ": still " + last + " after 2 s");
    }

    @Test
    void changesMadeThroughGatehouseShowAtOnce() {
        String org = Api.createOrg("fresh");
        start(org).then().statusCode(404);
        String connection = Api.createAzureConnection(org, "s3cret-value");
        start(org).then().statusCode(303).header("Location", containsString("/v1/oidc/" + org + "/login?connection=" + connection));
        start(org.toUpperCase()).then().statusCode(303);

        operator().body(Map.of("enabled", false)).patch("/v1/orgs/" + org + "/connections/" + connection).then().statusCode(200);
        start(org).then().statusCode(404);
        start(org.toUpperCase()).then().statusCode(404);

        operator().body(Map.of("enabled", true)).patch("/v1/orgs/" + org + "/connections/" + connection).then().statusCode(200);
        start(org).then().statusCode(303);
        operator().delete("/v1/orgs/" + org + "/connections/" + connection).then().statusCode(204);
        start(org).then().statusCode(404);
    }

    @Test
    void changesMadeBehindGatehousesBackShowWithinMoments() {
        String org = Api.createOrg("behind");
        String connection = Api.createAzureConnection(org, "s3cret-value");
        start(org).then().statusCode(303);
        given().get("/o/" + org).then().statusCode(200).body(containsString("Sign in with Microsoft"));

        Db.execute("update connections set enabled = false where id = ?", UUID.fromString(connection));
        eventually(404, () -> start(org).statusCode(), "sso start after the connection was switched off in the database");
        eventually(0, () -> given().get("/o/" + org).asString().contains("Sign in with Microsoft") ? 1 : 0,
                "the org's page after the connection was switched off in the database");

        // An email domain given in the database routes its people there.
        Db.execute("update connections set enabled = true where id = ?", UUID.fromString(connection));
        String domain = org + ".example.com";
        start("someone@" + domain).then().statusCode(404);
        Db.execute("insert into org_domains (org_id, domain) values ((select id from orgs where code = ?), ?)", org, domain);
        eventually(303, () -> start("someone@" + domain).statusCode(), "sso start by email after the domain was added in the database");

        // The org goes: its page and its code go with it.
        Db.execute("delete from connections where id = ?", UUID.fromString(connection));
        Db.execute("delete from org_domains where domain = ?", domain);
        Db.execute("update orgs set code = ? where code = ?", org + "-gone", org);
        eventually(404, () -> page(org), "the page of a renamed org");
        eventually(404, () -> start(org).statusCode(), "sso start by the old company code");
    }

    @Test
    void aUsernameThatAppearsInTheDatabaseIsFoundAtOnce() {
        String org = Api.createOrg("names");
        Api.createAzureConnection(org, "s3cret-value");
        String username = Api.newCode("person");
        start(username).then().statusCode(404);
        Db.execute("insert into users (id, org_id, username, auth_mode, created_at, updated_at) values (?, (select id from orgs where code = ?), ?, 'sso', now(), now())",
                UUID.randomUUID(), org, username);
        eventually(303, () -> start(username).statusCode(), "sso start by a username added in the database");
        Db.execute("update users set username = ? where username = ?", username + "-x", username);
        eventually(404, () -> start(username).statusCode(), "sso start by a username renamed in the database");
        assertEquals(303, start(username + "-x").statusCode());
    }
}
