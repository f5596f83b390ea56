package io.gatehouse.platform;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database taken away under a running Gatehouse (connections refused, every backend terminated)
 * and given back: meanwhile readiness is down, everything that needs the database answers 503 with
 * Retry-After (problem+json, or the page for browsers), forward-auth keeps answering from memory; after,
 * everything works again without a restart, and what was refused left nothing behind.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class DatabaseOutageTest {

    /** Runs SQL on the maintenance database: the application's own is the one taken away. */
    private static void onServer(String... statements) throws Exception {
        String url = PostgresResource.jdbcUrl().replaceFirst("/postgres(\\?|$)", "/template1$1");
        try (Connection c = DriverManager.getConnection(url, "postgres", "postgres"); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        }
    }

    private static void takeTheDatabaseAway() throws Exception {
        onServer("alter database postgres allow_connections false",
                "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'postgres' and pid <> pg_backend_pid()");
    }

    private static void giveItBack() throws Exception {
        onServer("alter database postgres allow_connections true");
    }

    private static void assertUnavailable(ExtractableResponse<Response> r, String what) {
        assertEquals(503, r.statusCode(), what + ": " + r.asString());
        assertTrue(Integer.parseInt(r.header("Retry-After")) >= 1, what);
    }

    @Test
    void anOutageIsA503WithRetryAfterAndEverythingRecovers() throws Exception {
        String org = Api.createOrg("outage");
        String username = Api.newCode("u");
        Api.createUser(org, username);
        ExtractableResponse<Response> signedIn = given().contentType(ContentType.JSON)
                .body(Map.of("username", username, "password", Api.PASSWORD)).post("/v1/login").then().statusCode(200).extract();
        String token = signedIn.path("access_token");
        String lateOrg = Api.newCode("late");
        try {
            takeTheDatabaseAway();
            given().get("/q/health/ready").then().statusCode(503);
            assertUnavailable(given().contentType(ContentType.JSON).body(Map.of("username", username, "password", Api.PASSWORD))
                    .post("/v1/login").then().extract(), "password sign-in");
            ExtractableResponse<Response> api = operator().get("/v1/orgs/" + org).then().extract();
            assertUnavailable(api, "admin API");
            assertEquals("application/problem+json", api.contentType());
            assertEquals("urn:gatehouse:problem:unavailable", api.path("type"));
            assertUnavailable(operator().body(Map.of("code", lateOrg, "name", "Late")).post("/v1/orgs").then().extract(), "a write");
            ExtractableResponse<Response> page = given().accept("text/html").queryParam("login", org).get("/v1/sso/start").then().extract();
            assertUnavailable(page, "a browser page");
            assertTrue(page.contentType().startsWith("text/html") && page.asString().contains("Unavailable for a moment"), page.asString());
            // Forward-auth verifies Gatehouse's tokens from memory: it goes on answering.
            given().header("Authorization", "Bearer " + token).get("/v1/auth/verify").then().statusCode(200)
                    .header("X-Auth-Org", equalTo(org));
            given().get("/v1/auth/verify").then().statusCode(401);
        } finally {
            giveItBack();
        }
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertTrue(Instant.now().isBefore(deadline), "readiness came back within a minute");
            Thread.sleep(250);
        }
        // Back, without a restart; the write refused during the outage left nothing, and can be made now.
        assertEquals(0L, Db.count("select count(*) from orgs where code = ?", lateOrg));
        for (int i = 0; i < 5; i++) {
            given().contentType(ContentType.JSON).body(Map.of("username", username, "password", Api.PASSWORD))
                    .post("/v1/login").then().statusCode(200);
        }
        operator().body(Map.of("code", lateOrg, "name", "Late")).post("/v1/orgs").then().statusCode(201);
        given().header("Authorization", "Bearer " + token).get("/v1/me").then().statusCode(200);
    }
}
