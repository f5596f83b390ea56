package io.gatehouse.saml;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Fetches IdP metadata from a URL an org admin typed, without letting that URL reach inside the
 * network: https only (http where allowed), every address the host resolves to must be public
 * (checked after DNS resolution, again on every redirect), at most {@value #MAX_REDIRECTS} redirects,
 * a size limit and time limits, and a clear message for each failure.
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
    public MetadataFetcher(boolean allowHttp, Predicate<InetAddress> addressAllowed, Duration timeout) {
        this.allowHttp = allowHttp;
        this.addressAllowed = addressAllowed;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
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
            check(target, hop > 0);
            HttpResponse<InputStream> response;
            try {
                response = client.send(HttpRequest.newBuilder(target).timeout(timeout)
                        .header("Accept", "application/samlmetadata+xml, application/xml, text/xml")
                        .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw new FetchFailed("The metadata URL did not answer within " + timeout.toSeconds() + " seconds.");
            } catch (IOException e) {
                throw new FetchFailed("The metadata URL could not be reached (" + describe(e) + ").");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchFailed("The metadata fetch was interrupted.");
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                close(response);
                String location = response.headers().firstValue("Location").orElseThrow(
                        () -> new FetchFailed("The metadata URL redirected without a Location."));
                target = target.resolve(location);
                continue;
            }
            if (status != 200) {
                close(response);
                throw new FetchFailed("The metadata URL answered HTTP " + status + ".");
            }
            try (InputStream body = response.body()) {
                byte[] bytes = body.readNBytes(OpenSaml.MAX_DOCUMENT_BYTES + 1);
                if (bytes.length > OpenSaml.MAX_DOCUMENT_BYTES) {
                    throw new FetchFailed("The metadata is larger than " + OpenSaml.MAX_DOCUMENT_BYTES / 1024 + " KiB.");
                }
                return bytes;
            } catch (HttpTimeoutException e) {
                throw new FetchFailed("The metadata URL did not finish answering within " + timeout.toSeconds() + " seconds.");
            } catch (IOException e) {
                throw new FetchFailed("The metadata could not be read (" + describe(e) + ").");
            }
        }
        throw new FetchFailed("The metadata URL redirected more than " + MAX_REDIRECTS + " times.");
    }

    private void check(URI target, boolean redirected) throws FetchFailed {
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
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return name.equals("ConnectException") ? "connection refused" : e.getMessage() != null && e.getMessage().length() < 120
                ? e.getMessage() : "network error";
    }
}
