package io.gatehouse.saml;

import io.gatehouse.egress.EgressProxy;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.impl.NoStackTraceTimeoutException;
import io.vertx.core.net.ProxyOptions;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Locale;

/**
 * Fetches IdP metadata from a URL an org admin typed: https only (http where allowed), through the
 * egress proxy (which checks every address when it connects, on every redirect too), at most
 * {@value #MAX_REDIRECTS} redirects, a size limit and a time limit, and a clear message for each failure.
 */
public final class MetadataFetcher {

    static final int MAX_REDIRECTS = 3;

    private final boolean allowHttp;
    private final Duration timeout;
    private final HttpClient client;

    /**
     * @param egress    the egress proxy every request goes through
     * @param allowHttp accept http:// URLs (dev and test only)
     */
    public MetadataFetcher(Vertx vertx, ProxyOptions egress, boolean allowHttp, Duration timeout) {
        this.allowHttp = allowHttp;
        this.timeout = timeout;
        this.client = vertx.createHttpClient(new HttpClientOptions().setVerifyHost(true).setProxyOptions(egress)
                .setConnectTimeout((int) timeout.toMillis()).setMaxPoolSize(4));
    }

    /** A fetch that failed, with a message for the admin. */
    public static final class FetchFailed extends Exception {
        public FetchFailed(String message) {
            super(message);
        }
    }

    public byte[] fetch(String url) throws FetchFailed {
        URI target = URI.create(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            String where = hop > 0 ? "The metadata URL redirected to " + target + ", which" : "The metadata URL";
            check(target, where);
            Answer answer = get(target, where);
            if (answer.status >= 300 && answer.status < 400) {
                if (answer.location == null) {
                    throw new FetchFailed("The metadata URL redirected without a Location.");
                }
                try {
                    target = target.resolve(answer.location);
                } catch (IllegalArgumentException e) {
                    throw new FetchFailed("The metadata URL redirected to an invalid URL.");
                }
                continue;
            }
            if (answer.refusal != null) {
                throw new FetchFailed(where + " is refused by the egress policy: " + answer.refusal + ".");
            }
            if (answer.failure != null) {
                throw new FetchFailed(where + " could not be reached: " + answer.failure + ".");
            }
            if (answer.status != 200) {
                throw new FetchFailed("The metadata URL answered HTTP " + answer.status + ".");
            }
            return answer.body;
        }
        throw new FetchFailed("The metadata URL redirected more than " + MAX_REDIRECTS + " times.");
    }

    /** An answer: its status, where it redirects, its body, or the egress policy's refusal. */
    private record Answer(int status, String location, byte[] body, String refusal, String failure) {
        Answer(int status, String location, byte[] body) {
            this(status, location, body, null, null);
        }
    }

    /** One GET through the egress proxy, redirects not followed (each is checked and fetched apart). */
    private Answer get(URI target, String where) throws FetchFailed {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(target.toString())
                .setFollowRedirects(false).setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis())
                .putHeader("Accept", "application/samlmetadata+xml, application/xml, text/xml");
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        client.request(options).onFailure(answer::completeExceptionally).onSuccess(request -> request.send()
                .onFailure(answer::completeExceptionally)
                .onSuccess(response -> {
                    if (response.statusCode() != 200) {
                        response.exceptionHandler(ignored -> { }); // the reset below ends it on purpose
                        answer.complete(new Answer(response.statusCode(), response.getHeader("Location"), null,
                                response.getHeader(EgressProxy.REFUSAL_HEADER), response.getHeader(EgressProxy.FAILURE_HEADER)));
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
            throw new FetchFailed(where + " did not answer within " + timeout.toSeconds() + " seconds.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailed("The metadata fetch was interrupted.");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String refusal = EgressProxy.refusalIn(cause);
            if (refusal != null) {
                throw new FetchFailed(where + " is refused by the egress policy: " + refusal + ".");
            }
            String failure = EgressProxy.failureIn(cause);
            if (failure != null) {
                throw new FetchFailed(where + " could not be reached: " + failure + ".");
            }
            if (cause instanceof TooLarge) {
                throw new FetchFailed("The metadata is larger than " + OpenSaml.MAX_DOCUMENT_BYTES / 1024 + " KiB.");
            }
            if (cause instanceof NoStackTraceTimeoutException || cause instanceof java.util.concurrent.TimeoutException
                    || (cause.getMessage() != null && cause.getMessage().toLowerCase(Locale.ROOT).contains("timeout"))) {
                throw new FetchFailed(where + " did not answer within " + timeout.toSeconds() + " seconds.");
            }
            if (cause instanceof javax.net.ssl.SSLException) {
                throw new FetchFailed(where + " has a TLS certificate that was not accepted (" + cause.getMessage() + ").");
            }
            throw new FetchFailed(where + " could not be reached (" + describe(cause) + ").");
        }
    }

    private static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** The URL's form: https (or http where allowed), absolute, no credentials; its addresses are the proxy's to check. */
    private void check(URI target, String where) throws FetchFailed {
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new FetchFailed(where + " must use https.");
        }
        if (target.getHost() == null || target.getUserInfo() != null) {
            throw new FetchFailed(where + " must be an absolute URL without credentials.");
        }
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e instanceof java.net.ConnectException || message.contains("Connection refused") ? "connection refused"
                : !message.isEmpty() && message.length() < 120 ? message : "network error";
    }
}
