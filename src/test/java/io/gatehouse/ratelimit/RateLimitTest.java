package io.gatehouse.ratelimit;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Floods of the anonymous endpoints, with the limits on (small ones): answered 429 with Retry-After
 * before any database write, bounded rows, the service healthy. 127.0.0.1 is the trusted proxy here, so
 * each test names its own client in X-Forwarded-For; a client that is not a trusted proxy (127.0.0.2)
 * cannot.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Limited.class)
@WithTestResource(PostgresResource.class)
class RateLimitTest {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.rate-limit.enabled", "true", "gatehouse.rate-limit.per-address", "20",
                    "gatehouse.rate-limit.per-org", "50", "gatehouse.rate-limit.refill-period", "10m",
                    "gatehouse.rate-limit.trusted-proxies", "127.0.0.1");
        }
    }

    /** A documentation address (RFC 5737), never contacted: only written into a header. */
    private static String client() {
        return "203.0.113." + (1 + Math.floorMod(UUID.randomUUID().hashCode(), 250));
    }

    @Test
    void aFloodOfJunkAtAnAcsIsCutOffWithBoundedRows() {
        String org = Api.createOrg("flood");
        String from = "198.51.100." + (1 + Math.floorMod(org.hashCode(), 250));
        int refused = 0;
        int limited = 0;
        for (int i = 0; i < 300; i++) {
            var response = given().header("X-Forwarded-For", from).contentType("application/x-www-form-urlencoded")
                    .formParam("SAMLResponse", "junk-" + i).post("/v1/saml/" + org + "/acs").then().extract();
            if (response.statusCode() == 429) {
                limited++;
                assertTrue(Integer.parseInt(response.header("Retry-After")) >= 1);
                assertTrue(response.contentType().startsWith("text/html"), "browsers get the page");
            } else {
                assertEquals(403, response.statusCode());
                refused++;
            }
        }
        assertEquals(20, refused);
        assertEquals(280, limited);
        assertEquals(20L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id where o.code = ?", org));
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aFloodOfJunkAtAnSloIsCutOffToo() {
        String org = Api.createOrg("sloflood");
        String from = client();
        int limited = 0;
        for (int i = 0; i < 30; i++) {
            var response = given().header("X-Forwarded-For", from).contentType("application/x-www-form-urlencoded")
                    .formParam("SAMLRequest", "junk-" + i).post("/v1/saml/" + org + "/slo").then().extract();
            if (response.statusCode() == 429) {
                limited++;
            } else {
                assertEquals(400, response.statusCode());
            }
        }
        assertEquals(10, limited);
        assertEquals(20L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.kind = 'logout'", org));
    }

    @Test
    void theOrgsOwnPageAndSetupLinksAreLimitedToo() {
        String org = Api.createOrg("ownflood");
        String from = client();
        int limited = 0;
        for (int i = 0; i < 15; i++) {
            if (given().header("X-Forwarded-For", from).get("/o/" + org).then().extract().statusCode() == 429) {
                limited++;
            }
            if (given().header("X-Forwarded-For", from).contentType("application/x-www-form-urlencoded").formParam("secret", "guess-" + i)
                    .post("/setup/link").then().extract().statusCode() == 429) {
                limited++;
            }
        }
        assertEquals(10, limited, "20 per address across both");
    }

    @Test
    void aFloodOfPasswordGuessesIsCutOffWithProblemJson() {
        String from = client();
        String prefix = Api.newCode("guess");
        int limited = 0;
        for (int i = 0; i < 100; i++) {
            var response = given().header("X-Forwarded-For", from).contentType("application/json")
                    .body(Map.of("username", prefix + "-" + i, "password", "wrong")).post("/v1/login").then().extract();
            if (response.statusCode() == 429) {
                limited++;
                assertEquals("application/problem+json", response.contentType());
                assertEquals("urn:gatehouse:problem:too-many-requests", response.path("type"));
            } else {
                assertEquals(401, response.statusCode());
            }
        }
        assertEquals(80, limited);
        assertEquals(20L, Db.count("select count(*) from login_attempts where login_hint like ?", prefix + "-%"));
    }

    @Test
    void oneOrgIsLimitedWhateverAddressesItsFloodComesFrom() {
        String org = Api.createOrg("orgflood");
        int limited = 0;
        for (int i = 0; i < 70; i++) {
            int status = given().header("X-Forwarded-For", "192.0.2." + (i + 1)).contentType("application/x-www-form-urlencoded")
                    .formParam("SAMLResponse", "junk").post("/v1/saml/" + org + "/acs").then().extract().statusCode();
            if (status == 429) {
                limited++;
            }
        }
        assertEquals(20, limited, "50 per org");
    }

    @Test
    void aClientThatIsNotATrustedProxyCannotNameOtherClients() throws Exception {
        int limited = 0;
        for (int i = 0; i < 30; i++) {
            // Each request claims another client; the connection comes from 127.0.0.2, which is not trusted.
            if (statusFrom("127.0.0.2", "/login/sso", "198.18.0." + (i + 1)) == 429) {
                limited++;
            }
        }
        assertEquals(10, limited);
    }

    /** A GET sent from the given loopback source address, as a raw HTTP/1.1 request. */
    private static int statusFrom(String source, String path, String forwardedFor) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(source, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", RestAssured.port), 5000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nX-Forwarded-For: " + forwardedFor
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
