package io.gatehouse.egress;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.DnsServer;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.RecordingListener;
import io.gatehouse.testing.TestBrowser;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.testing.Api.operator;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress policy as production has it (no dev/test loopback switch; only the name {@code localhost}
 * allowed, standing for an operator's allowed internal host), driven through the admin API and the
 * sign-in: every URL that would reach an internal address, directly, through the test's own DNS server
 * or through a redirect, is refused, and the internal listener it points at never sees a connection.
 */
@QuarkusTest
@TestProfile(EgressTest.ProductionEgress.class)
@WithTestResource(PostgresResource.class)
class EgressTest {

    public static class ProductionEgress implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gatehouse.egress.allow-private-addresses", "false", "gatehouse.egress.allowed-hosts", "localhost",
                    "gatehouse.egress.timeout", "2s", "gatehouse.saml.metadata-fetch-timeout", "2s");
        }
    }

    private static RecordingListener internal;
    private static HttpServer redirector;
    private static final AtomicInteger REDIRECTED = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        internal = new RecordingListener();
        redirector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        redirector.createContext("/", e -> {
            REDIRECTED.incrementAndGet();
            e.getResponseHeaders().add("Location", "http://127.0.0.1:" + internal.port() + e.getRequestURI());
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        redirector.createContext("/slow", e -> {
            try {
                Thread.sleep(4000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        redirector.createContext("/huge", e -> {
            e.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 40; i++) {
                    e.getResponseBody().write(chunk);
                }
            } catch (java.io.IOException cutOff) {
                // expected
            }
            e.close();
        });
        redirector.start();
    }

    @AfterAll
    static void stop() throws Exception {
        internal.close();
        redirector.stop(0);
    }

    private static String internalUrl(String host) {
        return "http://" + host + ":" + internal.port() + "/realms/x";
    }

    private static String redirecting(String path) {
        return "http://localhost:" + redirector.getAddress().getPort() + path;
    }

    private static void refusedOnSave(String org, Map<String, Object> connection, String field, String why) {
        String before = Db.snapshot();
        operator().body(connection).post("/v1/orgs/" + org + "/connections").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].field", equalTo(field)).body("errors[0].message", containsString(why));
        assertEquals(before, Db.snapshot(), "nothing was written");
    }

    @Test
    void aConnectionToAnInternalAddressIsA400NamingTheField() {
        String org = Api.createOrg("egress");
        DnsServer.address("idp.internal.egress.test", "127.0.0.1");
        DnsServer.address("idp6.internal.egress.test", "fd00::1");
        refusedOnSave(org, Map.of("type", "oidc", "issuer", internalUrl("127.0.0.1"), "client_id", "c"),
                "issuer", "127.0.0.1 is a loopback address");
        refusedOnSave(org, Map.of("type", "oidc", "issuer", internalUrl("[::1]"), "client_id", "c"),
                "issuer", "is the loopback address (::1)");
        refusedOnSave(org, Map.of("type", "oidc", "issuer", internalUrl("idp.internal.egress.test"), "client_id", "c"),
                "issuer", "idp.internal.egress.test resolves to 127.0.0.1, a loopback address");
        refusedOnSave(org, Map.of("type", "oidc", "issuer", internalUrl("idp6.internal.egress.test"), "client_id", "c"),
                "issuer", "a unique-local IPv6 address (fc00::/7)");
        refusedOnSave(org, Map.of("type", "oidc", "discovery_url", "http://169.254.169.254/.well-known/openid-configuration",
                "client_id", "c"), "discovery_url", "169.254.169.254 is a cloud metadata address");
        refusedOnSave(org, Map.of("type", "oidc", "issuer", "http://10.1.2.3/", "client_id", "c"),
                "issuer", "a private address (10.0.0.0/8)");
        refusedOnSave(org, Map.of("type", "saml", "metadata_url", internalUrl("127.0.0.1")),
                "metadata_url", "refused by the egress policy: 127.0.0.1 is a loopback address");
        refusedOnSave(org, Map.of("type", "saml", "metadata_url", internalUrl("idp.internal.egress.test")),
                "metadata_url", "idp.internal.egress.test resolves to 127.0.0.1");
        assertEquals(List.of(), internal.connections());
    }

    @Test
    void aRedirectIntoAnInternalAddressIsRefused() {
        String org = Api.createOrg("egress");
        int before = REDIRECTED.get();
        refusedOnSave(org, Map.of("type", "saml", "metadata_url", redirecting("/metadata")),
                "metadata_url", "redirected to http://127.0.0.1:" + internal.port() + "/metadata, which is refused by the egress policy");
        assertEquals(before + 1, REDIRECTED.get(), "the allowed host was asked");
        assertEquals(List.of(), internal.connections());
    }

    @Test
    void slowAndOversizedAnswersAreCutOff() {
        String org = Api.createOrg("egress");
        refusedOnSave(org, Map.of("type", "saml", "metadata_url", redirecting("/slow")), "metadata_url", "did not answer within 2 seconds");
        refusedOnSave(org, Map.of("type", "saml", "metadata_url", redirecting("/huge")), "metadata_url", "larger than 1024 KiB");
    }

    @Test
    void aNameThatTurnsInternalAfterSavingIsRefusedAtSignIn() throws Exception {
        String org = Api.createOrg("egress");
        String name = "rebind-" + org + ".egress.test";
        DnsServer.address(name, "93.184.216.34"); // a public address when the admin saves
        operator().body(Map.of("type", "oidc", "issuer", internalUrl(name), "client_id", "c", "client_secret", "s"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        DnsServer.address(name, "127.0.0.1"); // then the name is pointed inside
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> last = browser.follow("http://localhost:" + RestAssured.port + "/v1/sso/start?login=" + org);
        assertEquals(502, last.statusCode(), last.body());
        assertTrue(last.body().contains("identity provider cannot be reached"), last.body());
        assertEquals(List.of("idp_unreachable"), Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id where o.code = ?", org));
        assertEquals(List.of(), internal.connections());
    }

    @Test
    void aDiscoveryRedirectIntoAnInternalAddressIsRefusedAtSignIn() throws Exception {
        String org = Api.createOrg("egress");
        operator().body(Map.of("type", "oidc", "issuer", redirecting("/realms/r"), "client_id", "c", "client_secret", "s"))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        int before = REDIRECTED.get();
        TestBrowser browser = new TestBrowser("http://localhost:" + RestAssured.port);
        HttpResponse<String> last = browser.follow("http://localhost:" + RestAssured.port + "/v1/sso/start?login=" + org);
        assertEquals(502, last.statusCode(), last.body());
        assertTrue(REDIRECTED.get() > before, "the discovery went to the allowed host, which redirected");
        assertEquals(List.of(), internal.connections());
    }
}
