package io.gatehouse.egress;

import io.gatehouse.testing.RecordingListener;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.ProxyOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The egress proxy on its own, spoken to as Gatehouse's clients speak to it: refusals (plain and
 * through CONNECT, as a Vert.x client reports them), a tunnel that carries bytes both ways, and the
 * limits: an upstream that never answers and one that answers too much are cut off.
 */
class EgressProxyTest {

    private static final Vertx VERTX = Vertx.vertx();
    /** Only localhost (by name) is allowed: every literal loopback address stands for an internal one. */
    private static final EgressPolicy POLICY = new EgressPolicy(true, false, List.of("localhost"));
    private static EgressProxy proxy;
    private static int port;

    @BeforeAll
    static void start() {
        proxy = new EgressProxy(VERTX, new EgressProxy.Limits(Duration.ofSeconds(1), Duration.ofSeconds(60), 64 * 1024),
                (scheme, host) -> POLICY.decide(scheme, host,
                        h -> h.equals("localhost") ? List.of(InetAddress.getByName("127.0.0.1")) : List.of(InetAddress.getAllByName(h))));
        port = proxy.start();
    }

    @AfterAll
    static void stop() {
        proxy.stop();
        VERTX.close();
    }

    /** Sends a request head to the proxy; returns the socket, the head written. */
    private static Socket send(String head) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        return socket;
    }

    private static String readAll(Socket socket) throws Exception {
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void refusedConnectionsNeverReachTheInternalListener() throws Exception {
        try (RecordingListener internal = new RecordingListener()) {
            String plain;
            try (Socket s = send("GET http://127.0.0.1:" + internal.port() + "/latest HTTP/1.1\r\nHost: x\r\n\r\n")) {
                plain = readAll(s);
            }
            assertTrue(plain.startsWith("HTTP/1.1 403 Forbidden: 127.0.0.1 is a loopback address"), plain);
            assertTrue(plain.contains(EgressProxy.REFUSAL_HEADER + ": 127.0.0.1 is a loopback address"), plain);
            String tunnel;
            try (Socket s = send("CONNECT 127.0.0.1:" + internal.port() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")) {
                tunnel = readAll(s);
            }
            assertTrue(tunnel.startsWith("HTTP/1.1 403 Forbidden: 127.0.0.1 is a loopback"), tunnel);
            // As Gatehouse's clients see it: an https request through the proxy fails, and the reason can be read.
            var client = VERTX.createHttpClient(new HttpClientOptions().setProxyOptions(new ProxyOptions().setHost("127.0.0.1").setPort(port)));
            Throwable failure = client.request(new RequestOptions().setMethod(HttpMethod.GET)
                            .setAbsoluteURI("https://127.0.0.1:" + internal.port() + "/"))
                    .compose(r -> r.send()).toCompletionStage().toCompletableFuture()
                    .handle((ok, e) -> e).get(10, TimeUnit.SECONDS);
            assertNotNull(failure);
            assertEquals("127.0.0.1 is a loopback address (127.0.0.0/8)", EgressProxy.refusalIn(failure), failure.toString());
            client.close();
            assertEquals(List.of(), internal.connections());
        }
    }

    @Test
    void aTunnelCarriesBytesBothWays() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    byte[] got = s.getInputStream().readNBytes(5);
                    s.getOutputStream().write(("echo:" + new String(got, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
                } catch (Exception ignored) {
                    // the test fails on its own side
                }
            });
            server.start();
            try (Socket s = send("CONNECT localhost:" + echo.getLocalPort() + " HTTP/1.1\r\nHost: localhost\r\n\r\nhello")) {
                String answer = readAll(s);
                assertEquals("HTTP/1.1 200 Connection established\r\n\r\necho:hello", answer);
            }
            server.join(5000);
        }
    }

    @Test
    void plainRequestsAreForwardedInOriginFormWithoutTheProxysHeaders() throws Exception {
        try (ServerSocket origin = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            StringBuilder seen = new StringBuilder();
            Thread server = new Thread(() -> {
                try (Socket s = origin.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        head.append((char) in.read());
                    }
                    seen.append(head);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                } catch (Exception ignored) {
                    // the test fails on its own side
                }
            });
            server.start();
            try (Socket s = send("GET http://localhost:" + origin.getLocalPort() + "/a?b=c HTTP/1.1\r\nHost: localhost\r\n"
                    + "Proxy-Authorization: Basic eDp5\r\nProxy-Connection: keep-alive\r\n\r\n")) {
                assertTrue(readAll(s).endsWith("\r\n\r\nok"));
            }
            server.join(5000);
            assertEquals("GET /a?b=c HTTP/1.1\r\nHost: localhost\r\n\r\n", seen.toString());
        }
    }

    @Test
    void anUpstreamThatNeverAnswersIsCutOffAfterTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes(); // reads, never answers, until the proxy hangs up
                } catch (Exception ignored) {
                    // closed
                }
            });
            server.start();
            long started = System.nanoTime();
            try (Socket s = send("GET http://localhost:" + silent.getLocalPort() + "/ HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
                assertEquals("", readAll(s), "closed without an answer");
            }
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(took >= 900 && took < 5000, "cut off after the 1 s timeout, took " + took + " ms");
            server.join(5000);
        }
    }

    @Test
    void anUpstreamThatAnswersTooMuchIsCutOff() throws Exception {
        try (ServerSocket flood = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            Thread server = new Thread(() -> {
                try (Socket s = flood.accept()) {
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[16 * 1024];
                    for (int i = 0; i < 600; i++) {
                        out.write(chunk);
                    }
                } catch (Exception cutOff) {
                    // expected: the proxy hung up
                }
            });
            server.start();
            try (Socket s = send("GET http://localhost:" + flood.getLocalPort() + "/ HTTP/1.1\r\nHost: localhost\r\n\r\n")) {
                int received = s.getInputStream().readAllBytes().length;
                assertTrue(received <= 64 * 1024, "at most the limit came through: " + received);
            }
            server.join(5000);
        }
    }
}
