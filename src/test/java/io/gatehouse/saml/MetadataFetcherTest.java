package io.gatehouse.saml;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata fetch refuses to be pointed inside the network. Production policy: public addresses
 * only, checked after resolution and on every redirect. The tests' own server is on 127.0.0.1, so the
 * redirect cases use a policy that allows exactly that address and nothing else on loopback.
 */
class MetadataFetcherTest {

    private static final byte[] METADATA = "<EntityDescriptor/>".getBytes(StandardCharsets.UTF_8);
    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", e -> {
            e.sendResponseHeaders(200, METADATA.length);
            e.getResponseBody().write(METADATA);
            e.close();
        });
        server.createContext("/to-other-loopback", e -> {
            e.getResponseHeaders().add("Location", "http://127.0.0.2:" + server.getAddress().getPort() + "/ok");
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        server.createContext("/to-metadata-service", e -> {
            e.getResponseHeaders().add("Location", "http://169.254.169.254/latest/meta-data/");
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        server.createContext("/to-self", e -> {
            e.getResponseHeaders().add("Location", "/ok");
            e.sendResponseHeaders(301, -1);
            e.close();
        });
        server.createContext("/loop", e -> {
            e.getResponseHeaders().add("Location", "/loop");
            e.sendResponseHeaders(302, -1);
            e.close();
        });
        server.createContext("/huge", e -> {
            e.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 20; i++) {
                e.getResponseBody().write(chunk);
            }
            e.close();
        });
        server.createContext("/slow", e -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            e.sendResponseHeaders(200, METADATA.length);
            e.getResponseBody().write(METADATA);
            e.close();
        });
        server.createContext("/missing", e -> {
            e.sendResponseHeaders(404, -1);
            e.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        VERTX.close();
    }

    private static final Predicate<InetAddress> ONLY_THE_TEST_SERVER = a -> a.getHostAddress().equals("127.0.0.1");

    private static final io.vertx.core.Vertx VERTX = io.vertx.core.Vertx.vertx();

    private static MetadataFetcher fetcher(boolean allowHttp, Predicate<InetAddress> policy) {
        return new MetadataFetcher(VERTX, allowHttp, policy, Duration.ofSeconds(1));
    }

    private static String refusal(MetadataFetcher fetcher, String url) {
        return assertThrows(MetadataFetcher.FetchFailed.class, () -> fetcher.fetch(url)).getMessage();
    }

    @Test
    void fetchesWhatThePolicyAllows() throws Exception {
        assertArrayEquals(METADATA, fetcher(true, ONLY_THE_TEST_SERVER).fetch(base + "/ok"));
        assertArrayEquals(METADATA, fetcher(true, ONLY_THE_TEST_SERVER).fetch(base + "/to-self"), "a redirect within the policy");
    }

    @Test
    void productionPolicyRefusesEveryInternalAddress() throws Exception {
        Predicate<InetAddress> publicOnly = MetadataFetcher.publicOnly();
        for (String internal : List.of("127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "224.0.0.1")) {
            assertFalse(publicOnly.test(InetAddress.getByName(internal)), internal);
        }
        assertTrue(publicOnly.test(InetAddress.getByName("93.184.216.34")));
        assertTrue(publicOnly.test(InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946")));
        // IP literals resolve without DNS: nothing leaves the machine.
        String message = refusal(fetcher(true, publicOnly), base + "/ok");
        assertTrue(message.contains("127.0.0.1") && message.contains("private, loopback or link-local"), message);
        assertTrue(refusal(fetcher(true, publicOnly), "http://169.254.169.254/latest/meta-data/").contains("169.254.169.254"));
        assertTrue(refusal(fetcher(true, publicOnly), "http://[::1]:9/").contains("private"));
    }

    @Test
    void everyRedirectIsCheckedAgain() {
        String other = refusal(fetcher(true, ONLY_THE_TEST_SERVER), base + "/to-other-loopback");
        assertTrue(other.contains("redirected to") && other.contains("127.0.0.2"), other);
        String cloud = refusal(fetcher(true, ONLY_THE_TEST_SERVER), base + "/to-metadata-service");
        assertTrue(cloud.contains("169.254.169.254"), cloud);
        assertTrue(refusal(fetcher(true, ONLY_THE_TEST_SERVER), base + "/loop").contains("more than 3 times"));
    }

    @Test
    void httpsOnlyOutsideDevAndTest() {
        assertTrue(refusal(fetcher(false, ONLY_THE_TEST_SERVER), base + "/ok").contains("must use https"));
        assertTrue(refusal(fetcher(false, ONLY_THE_TEST_SERVER), "file:///etc/passwd").contains("must use https"));
    }

    @Test
    void sizeTimeAndStatusLimits() {
        assertTrue(refusal(fetcher(true, ONLY_THE_TEST_SERVER), base + "/huge").contains("larger than"));
        assertTrue(refusal(fetcher(true, ONLY_THE_TEST_SERVER), base + "/slow").contains("within 1 seconds"));
        assertTrue(refusal(fetcher(true, ONLY_THE_TEST_SERVER), base + "/missing").contains("HTTP 404"));
        assertTrue(refusal(fetcher(true, ONLY_THE_TEST_SERVER), "http://127.0.0.1:9/").contains("could not be reached"));
    }
}
