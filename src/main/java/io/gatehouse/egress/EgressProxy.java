package io.gatehouse.egress;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * The one door every outbound HTTP call of Gatehouse goes through: an HTTP proxy on loopback that
 * Gatehouse's own clients (quarkus-oidc's, the metadata fetch, discovery) are pointed at. For each
 * connection it resolves the host itself, checks every address against the {@link EgressPolicy}, and
 * connects to exactly the address it checked, so no second DNS answer can slip in between (DNS
 * rebinding); a redirect is a new connection through the proxy, checked again. It bounds the time to
 * connect and to the first byte of an answer, the life of a connection, and the bytes it carries back.
 *
 * <p>https goes through {@code CONNECT host:port} (a tunnel: TLS stays end to end, the client checks the
 * certificate); plain http, only where allowed, as an absolute-form request, forwarded in origin form
 * without the proxy's own headers. A refusal is answered {@code 403} with the reason (rule) in the status
 * line, the {@value #REFUSAL_HEADER} header and the body, and logged once.
 */
public final class EgressProxy {

    private static final Logger LOG = Logger.getLogger(EgressProxy.class);
    /** The header a refusal's reason is given in (for clients that show it to admins). */
    public static final String REFUSAL_HEADER = "X-Gatehouse-Egress-Refused";
    /** The header an allowed connection's failure (no address, refused, timed out) is given in. */
    public static final String FAILURE_HEADER = "X-Gatehouse-Egress-Failed";
    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final byte[] HEAD_END = {'\r', '\n', '\r', '\n'};

    /** Limits of each proxied connection. */
    public record Limits(Duration timeout, Duration maxConnectionTime, long maxResponseBytes) {
    }

    /** A host checked and resolved: the address to connect to, or why not. */
    public sealed interface Decision {
    }

    public record Allowed(InetAddress address) implements Decision {
    }

    public record Refused(int status, String reason) implements Decision {
    }

    private final Vertx vertx;
    private final Limits limits;
    /** (scheme, host) → the decision; runs on a worker thread (it may ask DNS). */
    private final BiFunction<String, String, Decision> decide;
    private final NetClient upstreams;
    private NetServer server;

    public EgressProxy(Vertx vertx, Limits limits, BiFunction<String, String, Decision> decide) {
        this.vertx = vertx;
        this.limits = limits;
        this.decide = decide;
        this.upstreams = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout((int) limits.timeout().toMillis()).setTcpNoDelay(true));
    }

    /** Starts listening on a free loopback port; returns the port. */
    public int start() {
        server = vertx.createNetServer(new NetServerOptions().setHost("127.0.0.1").setPort(0)
                .setTcpNoDelay(true));
        server.connectHandler(this::accept);
        return server.listen().toCompletionStage().toCompletableFuture().join().actualPort();
    }

    public void stop() {
        if (server != null) {
            server.close();
        }
        upstreams.close();
    }

    private void accept(NetSocket client) {
        Buffer head = Buffer.buffer();
        long headTimer = vertx.setTimer(limits.timeout().toMillis(), t -> client.close());
        client.handler(chunk -> {
            head.appendBuffer(chunk);
            int end = indexOf(head, HEAD_END);
            if (end < 0) {
                if (head.length() > MAX_HEAD_BYTES) {
                    vertx.cancelTimer(headTimer);
                    answer(client, 431, "Request Header Fields Too Large", "request head too large");
                }
                return;
            }
            vertx.cancelTimer(headTimer);
            client.pause();
            client.handler(null);
            onHead(client, head.getString(0, end, "ISO-8859-1"), head.getBuffer(end + HEAD_END.length, head.length()));
        });
        client.exceptionHandler(e -> client.close());
    }

    private void onHead(NetSocket client, String head, Buffer rest) {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3) {
            answer(client, 400, "Bad Request", "not an HTTP request");
            return;
        }
        String method = requestLine[0];
        boolean tunnel = method.equals("CONNECT");
        String scheme;
        String host;
        int port;
        String originForm = null;
        if (tunnel) {
            scheme = "https";
            String authority = requestLine[1];
            int colon = authority.lastIndexOf(':');
            if (colon <= 0 || authority.endsWith("]")) {
                answer(client, 400, "Bad Request", "CONNECT needs host:port");
                return;
            }
            host = authority.substring(0, colon);
            try {
                port = Integer.parseInt(authority.substring(colon + 1));
            } catch (NumberFormatException e) {
                answer(client, 400, "Bad Request", "CONNECT needs host:port");
                return;
            }
        } else {
            URI target;
            try {
                target = new URI(requestLine[1]);
            } catch (java.net.URISyntaxException e) {
                answer(client, 400, "Bad Request", "not an absolute URL");
                return;
            }
            scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
            host = target.getHost();
            if (host == null) {
                answer(client, 400, "Bad Request", "not an absolute URL");
                return;
            }
            port = target.getPort() != -1 ? target.getPort() : 80;
            originForm = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                    + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        }
        String where = scheme + "://" + host + ":" + port;
        String hostName = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        String firstLine = originForm == null ? null : method + " " + originForm + " " + requestLine[2];
        vertx.<Decision>executeBlocking(() -> decide.apply(scheme, hostName), false).onComplete(decided -> {
            Decision decision = decided.succeeded() ? decided.result()
                    : new Refused(502, "could not check " + host + " (" + decided.cause().getClass().getSimpleName() + ")");
            if (decision instanceof Refused refused) {
                LOG.warnf("Outbound connection to %s refused: %s", where, refused.reason());
                answer(client, refused.status(), refused.status() == 403 ? "Forbidden" : "Bad Gateway", refused.reason());
                return;
            }
            InetAddress address = ((Allowed) decision).address();
            upstreams.connect(SocketAddress.inetSocketAddress(port, address.getHostAddress())).onComplete(connected -> {
                if (connected.failed()) {
                    String reason = "could not connect to " + where + " (" + describe(connected.cause()) + ")";
                    answer(client, 502, "Bad Gateway", reason);
                    return;
                }
                NetSocket upstream = connected.result();
                if (firstLine == null) {
                    client.write("HTTP/1.1 200 Connection established\r\n\r\n");
                } else {
                    upstream.write(Buffer.buffer(firstLine + "\r\n" + forwardedHeaders(lines) + "\r\n", "ISO-8859-1"));
                }
                if (rest.length() > 0) {
                    upstream.write(rest);
                }
                new Tunnel(client, upstream, where).run(firstLine != null || rest.length() > 0);
            });
        });
    }

    /** The request's headers without the ones meant for the proxy. */
    private static String forwardedHeaders(String[] lines) {
        StringBuilder headers = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].contains(":") ? lines[i].substring(0, lines[i].indexOf(':')).strip().toLowerCase(Locale.ROOT) : "";
            if (!name.startsWith("proxy-")) {
                headers.append(lines[i]).append("\r\n");
            }
        }
        return headers.toString();
    }

    /**
     * Bytes both ways between a client and its upstream, with the limits: an answer must begin within
     * the timeout of the client's last bytes, the answers may carry at most so many bytes, and the
     * connection lives at most so long (closed at a quiet moment, or at once when that time is long past).
     */
    private final class Tunnel {
        private final NetSocket client;
        private final NetSocket upstream;
        private final String where;
        private final long opened = System.nanoTime();
        private long answered;
        private long waitingTimer = -1;
        private long lifeTimer = -1;
        private boolean closed;

        Tunnel(NetSocket client, NetSocket upstream, String where) {
            this.client = client;
            this.upstream = upstream;
            this.where = where;
        }

        /** @param requestSent whether bytes of a request went upstream already (an answer is awaited) */
        void run(boolean requestSent) {
            if (requestSent) {
                awaitAnswer();
            }
            client.handler(chunk -> {
                awaitAnswer();
                upstream.write(chunk);
                if (upstream.writeQueueFull()) {
                    client.pause();
                    upstream.drainHandler(v -> client.resume());
                }
            });
            upstream.handler(chunk -> {
                if (waitingTimer >= 0) {
                    vertx.cancelTimer(waitingTimer);
                    waitingTimer = -1;
                }
                answered += chunk.length();
                if (answered > limits.maxResponseBytes()) {
                    LOG.warnf("Outbound connection to %s closed: its answers passed %d bytes", where, limits.maxResponseBytes());
                    close();
                    return;
                }
                client.write(chunk);
                if (client.writeQueueFull()) {
                    upstream.pause();
                    client.drainHandler(v -> upstream.resume());
                }
            });
            client.closeHandler(v -> close());
            upstream.closeHandler(v -> close());
            client.exceptionHandler(e -> close());
            upstream.exceptionHandler(e -> close());
            lifeTimer = vertx.setPeriodic(1000, t -> {
                long age = System.nanoTime() - opened;
                boolean quiet = waitingTimer < 0;
                if (age > limits.maxConnectionTime().toNanos() && (quiet
                        || age > limits.maxConnectionTime().plus(limits.timeout()).toNanos())) {
                    close();
                }
            });
            client.resume();
        }

        private void awaitAnswer() {
            if (waitingTimer < 0) {
                waitingTimer = vertx.setTimer(limits.timeout().toMillis(), t -> {
                    LOG.warnf("Outbound connection to %s closed: no answer within %d s", where, limits.timeout().toSeconds());
                    close();
                });
            }
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (waitingTimer >= 0) {
                vertx.cancelTimer(waitingTimer);
            }
            vertx.cancelTimer(lifeTimer);
            client.close();
            upstream.close();
        }
    }

    private static void answer(NetSocket client, int status, String phrase, String reason) {
        String safe = reason.replaceAll("[\\r\\n]", " ");
        byte[] body = (safe + "\n").getBytes(StandardCharsets.UTF_8);
        client.write(Buffer.buffer("HTTP/1.1 " + status + " " + phrase + ": " + safe.replaceAll("[^\\x20-\\x7e]", "?") + "\r\n"
                        + (status == 403 ? REFUSAL_HEADER : FAILURE_HEADER) + ": " + safe.replaceAll("[^\\x20-\\x7e]", "?") + "\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n", "ISO-8859-1")
                .appendBytes(body)).onComplete(done -> client.close());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof java.net.ConnectException || message.contains("Connection refused")) {
            return "connection refused";
        }
        return message.toLowerCase(Locale.ROOT).contains("timed out") || message.toLowerCase(Locale.ROOT).contains("timeout")
                ? "timed out" : e.getClass().getSimpleName();
    }

    private static int indexOf(Buffer buffer, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= buffer.length(); i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer.getByte(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * The egress policy's reason in a client's failure to connect through the proxy ({@code CONNECT}
     * answered with a refusal: the client reports the status line), or null when it is another failure.
     */
    public static String refusalIn(Throwable failure) {
        return phraseIn(failure, "403 Forbidden: ");
    }

    /** Why the proxy could not connect to an allowed host ({@code CONNECT} answered 502), or null. */
    public static String failureIn(Throwable failure) {
        return phraseIn(failure, "502 Bad Gateway: ");
    }

    private static String phraseIn(Throwable failure, String phrase) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            String message = e.getMessage();
            int at = message == null ? -1 : message.indexOf(phrase);
            if (at >= 0) {
                return message.substring(at + phrase.length()).strip();
            }
        }
        return null;
    }
}
