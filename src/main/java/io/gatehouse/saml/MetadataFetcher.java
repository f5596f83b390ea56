package io.gatehouse.saml;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.net.SocketAddress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Fetches IdP metadata from a URL an org admin typed, without letting that URL reach inside the
 * network: https only (http where allowed), every address the host resolves to must be public
 * (checked after DNS resolution, again on every redirect), at most {@value #MAX_REDIRECTS} redirects,
 * a size limit and time limits, and a clear message for each failure. The connection goes to the very
 * address that was checked (Vert.x's client, told the server address apart from the host name).
 */
public final class MetadataFetcher {

    static final int MAX_REDIRECTS = 3;

    private final boolean allowHttp;
    private final Predicate<InetAddress> addressAllowed;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param allowHttp      accept http:// URLs (dev and test only)
     * @param addressAllowed which resolved addresses may be contacted; {@link #publicOnly()} outside dev/test
     */
    public MetadataFetcher(Vertx vertx, boolean allowHttp, Predicate<InetAddress> addressAllowed, Duration timeout) {
        this.allowHttp = allowHttp;
        this.addressAllowed = addressAllowed;
        this.timeout = timeout;
        this.client = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true)
                .setConnectTimeout((int) timeout.toMillis()).setMaxPoolSize(4));
    }

    /** A fetch that failed, with a message for the admin. */
    public static final class FetchFailed extends Exception {
        public FetchFailed(String message) {
            super(message);
        }
    }

    /** Public unicast addresses only: no loopback, private, link-local (cloud metadata), CGNAT, ULA, multicast. */
    public static Predicate<InetAddress> publicOnly() {
        return address -> {
            if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                    || address.isSiteLocalAddress() || address.isMulticastAddress()) {
                return false;
            }
            byte[] b = address.getAddress();
            if (address instanceof Inet4Address) {
                int first = b[0] & 0xff;
                int second = b[1] & 0xff;
                return !(first == 0 || (first == 100 && second >= 64 && second < 128) // CGNAT 100.64/10
                        || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // 192.0.0/24
                        || (first == 198 && (second == 18 || second == 19)) // benchmarking 198.18/15
                        || first >= 240);
            }
            if (address instanceof Inet6Address) {
                int first = b[0] & 0xff;
                boolean uniqueLocal = (first & 0xfe) == 0xfc; // fc00::/7
                boolean mappedV4 = isV4Mapped(b);
                return !uniqueLocal && !mappedV4;
            }
            return false;
        };
    }

    private static boolean isV4Mapped(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    public byte[] fetch(String url) throws FetchFailed {
        URI target = URI.create(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            InetAddress address = check(target, hop > 0);
            Answer answer = get(target, address);
            if (answer.status >= 300 && answer.status < 400) {
                if (answer.location == null) {
                    throw new FetchFailed("The metadata URL redirected without a Location.");
                }
                target = target.resolve(answer.location);
                continue;
            }
            if (answer.status != 200) {
                throw new FetchFailed("The metadata URL answered HTTP " + answer.status + ".");
            }
            return answer.body;
        }
        throw new FetchFailed("The metadata URL redirected more than " + MAX_REDIRECTS + " times.");
    }

    private record Answer(int status, String location, byte[] body) {
    }

    /**
     * One GET, connected to exactly the address that was checked (no second DNS lookup that could
     * answer differently: DNS rebinding), with the URL's host for the Host header, SNI and the
     * certificate check.
     */
    private Answer get(URI target, InetAddress address) throws FetchFailed {
        boolean https = "https".equalsIgnoreCase(target.getScheme());
        int port = target.getPort() != -1 ? target.getPort() : https ? 443 : 80;
        String path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(target.getHost()).setPort(port).setURI(path).setSsl(https).setFollowRedirects(false)
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader("Accept", "application/samlmetadata+xml, application/xml, text/xml");
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        client.request(options).onFailure(answer::completeExceptionally).onSuccess(request -> request.send()
                .onFailure(answer::completeExceptionally)
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        answer.complete(new Answer(response.statusCode(), response.getHeader("Location"), null));
                        request.reset();
                        return;
                    }
                    Buffer body = Buffer.buffer();
                    response.exceptionHandler(answer::completeExceptionally);
                    response.handler(chunk -> {
                        if (body.length() + chunk.length() > OpenSaml.MAX_DOCUMENT_BYTES) {
                            answer.completeExceptionally(new TooLarge());
                            request.reset();
                        } else {
                            body.appendBuffer(chunk);
                        }
                    });
                    response.endHandler(done -> answer.complete(new Answer(200, null, body.getBytes())));
                }));
        try {
            return answer.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new FetchFailed("The metadata URL did not answer within " + timeout.toSeconds() + " seconds.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed("The metadata fetch was interrupted.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof TooLarge) {
                throw new FetchFailed("The metadata is larger than " + OpenSaml.MAX_DOCUMENT_BYTES / 1024 + " KiB.");
            }
            if (cause instanceof NoStackTraceTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                    || (cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains("timeout"))) {
                throw new FetchFailed("The metadata URL did not answer within " + timeout.toSeconds() + " seconds.");
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                throw new FetchFailed("The metadata URL's TLS certificate was not accepted (" + cause.getMessage() + ").");
            }
            throw new FetchFailed("The metadata URL could not be reached (" + describe(cause) + ").");
        }
    }

    private static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** The address to connect to: the first the host resolves to, once every one of them is allowed. */
    private InetAddress check(URI target, boolean redirected) throws FetchFailed {
        String where = redirected ? "The metadata URL redirected to " + target + ", which" : "The metadata URL";
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new FetchFailed(where + " must use https.");
        }
        if (target.getHost() == null || target.getUserInfo() != null) {
            throw new FetchFailed(where + " must be an absolute URL without credentials.");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(target.getHost());
        } catch (UnknownHostException e) {
            throw new FetchFailed(where + " names a host that does not resolve: " + target.getHost() + ".");
        }
        for (InetAddress address : addresses) {
            if (!addressAllowed.test(address)) {
                throw new FetchFailed(where + " resolves to " + address.getHostAddress()
                        + ", a private, loopback or link-local address, which Gatehouse does not fetch from.");
            }
        }
        return addresses[0];
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e instanceof java.net.ConnectException || message.contains("Connection refused") ? "connection refused"
                : !message.isEmpty() && message.length() < 120 ? message : "network error";
    }
}
