package io.gatehouse.saml;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.egress.EgressPolicy;
import io.gatehouse.egress.EgressProxy;
import io.vertx.core.net.ProxyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata fetch goes through the egress proxy and cannot be pointed inside the network: the
 * production policy, with the tests' own server (127.0.0.1) allowed by name, so a redirect to any other
 * loopback address is refused as an internal one would be.
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
        PROXIES.forEach(EgressProxy::stop);
        server.stop(0);
        VERTX.close();
    }

    private static final io.vertx.core.Vertx VERTX = io.vertx.core.Vertx.vertx();

    /** The egress policy the fetches go through: the test server's address is allowed by name, nothing else. */
    private static EgressProxy proxy(boolean allowHttp) {
        EgressPolicy policy = new EgressPolicy(allowHttp, false, List.of("127.0.0.1"));
        EgressProxy proxy = new EgressProxy(VERTX, new EgressProxy.Limits(Duration.ofSeconds(5), Duration.ofSeconds(60), 4 << 20),
                (scheme, host) -> policy.decide(scheme, host, h -> List.of(InetAddress.getAllByName(h))));
        PROXIES.add(proxy);
        return proxy;
    }

    private static final List<EgressProxy> PROXIES = new java.util.ArrayList<>();

    private static MetadataFetcher fetcher(boolean allowHttp) {
        EgressProxy proxy = proxy(allowHttp);
        int port = proxy.start();
        return new MetadataFetcher(VERTX, new ProxyOptions().setHost("127.0.0.1").setPort(port), allowHttp, Duration.ofSeconds(1));
    }

    private static String refusal(MetadataFetcher fetcher, String url) {
        return assertThrows(MetadataFetcher.FetchFailed.class, () -> fetcher.fetch(url)).getMessage();
    }

    @Test
    void fetchesWhatThePolicyAllows() throws Exception {
        assertArrayEquals(METADATA, fetcher(true).fetch(base + "/ok"));
        assertArrayEquals(METADATA, fetcher(true).fetch(base + "/to-self"), "a redirect within the policy");
    }

    @Test
    void refusesInternalAddressesNamingTheRule() {
        String loopback = refusal(fetcher(true), "http://127.0.0.3:" + server.getAddress().getPort() + "/ok");
        assertTrue(loopback.contains("refused by the egress policy") && loopback.contains("127.0.0.3 is a loopback address"), loopback);
        assertTrue(refusal(fetcher(true), "http://169.254.169.254/latest/meta-data/").contains("cloud metadata"));
        assertTrue(refusal(fetcher(true), "http://[::1]:9/").contains("loopback"));
    }

    @Test
    void everyRedirectIsCheckedAgain() {
        String other = refusal(fetcher(true), base + "/to-other-loopback");
        assertTrue(other.contains("redirected to") && other.contains("127.0.0.2"), other);
        String cloud = refusal(fetcher(true), base + "/to-metadata-service");
        assertTrue(cloud.contains("169.254.169.254"), cloud);
        assertTrue(refusal(fetcher(true), base + "/loop").contains("more than 3 times"));
    }

    @Test
    void httpsOnlyOutsideDevAndTest() {
        assertTrue(refusal(fetcher(false), base + "/ok").contains("must use https"));
        assertTrue(refusal(fetcher(false), "file:///etc/passwd").contains("must use https"));
    }

    @Test
    void sizeTimeAndStatusLimits() {
        assertTrue(refusal(fetcher(true), base + "/huge").contains("larger than"));
        assertTrue(refusal(fetcher(true), base + "/slow").contains("within 1 seconds"));
        assertTrue(refusal(fetcher(true), base + "/missing").contains("HTTP 404"));
        String closed = refusal(fetcher(true), "http://127.0.0.1:9/");
        assertTrue(closed.contains("could not be reached") && closed.contains("connection refused"), closed);
    }
}
