package io.gatehouse.testing;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

/** A client that keeps cookies and follows redirects one hop at a time, so tests can see each hop. */
public final class TestBrowser {

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    /**
     * Like a browser on loopback: Chromium and Firefox treat http://localhost and 127.0.0.1 as secure
     * contexts and send Secure cookies there; java.net's CookieManager would not.
     */
    private final java.net.CookieHandler loopbackCookies = new java.net.CookieHandler() {
        @Override
        public java.util.Map<String, List<String>> get(URI uri, java.util.Map<String, List<String>> headers) {
            String host = uri.getHost();
            String header = cookies.getCookieStore().getCookies().stream().filter(c -> !c.hasExpired())
                    .filter(c -> c.getDomain() == null || c.getDomain().equalsIgnoreCase(host) || c.getDomain().equalsIgnoreCase(host + ".local"))
                    .filter(c -> c.getPath() == null || uri.getPath().startsWith(c.getPath()))
                    .map(c -> c.getName() + "=" + c.getValue()).collect(java.util.stream.Collectors.joining("; "));
            return header.isEmpty() ? java.util.Map.of() : java.util.Map.of("Cookie", List.of(header));
        }

        /** Like Chromium and Firefox: a cookie whose name and value exceed 4096 bytes is ignored. */
        @Override
        public void put(URI uri, java.util.Map<String, List<String>> headers) throws IOException {
            java.util.Map<String, List<String>> kept = new java.util.HashMap<>(headers);
            kept.computeIfPresent("Set-Cookie", (name, values) -> values.stream().filter(TestBrowser::fitsABrowser).toList());
            cookies.put(uri, kept);
        }
    };
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .cookieHandler(loopbackCookies)
            .build();
    private final List<HttpResponse<String>> hops = new ArrayList<>();
    private final String publicUrl;
    private String idpRedirect;
    private final String instanceUrl;

    /** @param instanceUrl where the public URL of the tests ({@code http://localhost:8080}) really is, as a proxy would route it */
    public TestBrowser(String instanceUrl) {
        this.publicUrl = "http://localhost:8080";
        this.instanceUrl = instanceUrl;
    }

    /** Set-Cookie's name=value, up to the first attribute, is at most 4096 bytes. */
    public static boolean fitsABrowser(String setCookie) {
        int end = setCookie.indexOf(';');
        String pair = end < 0 ? setCookie : setCookie.substring(0, end);
        return pair.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 4096;
    }

    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        String routed = url.startsWith(publicUrl + "/") ? instanceUrl + url.substring(publicUrl.length()) : url;
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(routed)).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        hops.add(response);
        return response;
    }

    /** Posts a form (as a browser submits a login form), then follows the redirects like {@link #follow}. */
    public HttpResponse<String> submit(String url, java.util.Map<String, String> fields) throws IOException, InterruptedException {
        HttpResponse<String> response = post(url, fields);
        if (response.statusCode() / 100 != 3) {
            return response;
        }
        URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
        if (!loopback(next)) {
            return response;
        }
        return follow(next.toString());
    }

    /** Posts a form and returns the answer without following it. */
    public HttpResponse<String> post(String url, java.util.Map<String, String> fields) throws IOException, InterruptedException {
        String body = fields.entrySet().stream()
                .map(e -> java.net.URLEncoder.encode(e.getKey(), java.nio.charset.StandardCharsets.UTF_8) + "="
                        + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
        String routed = url.startsWith(publicUrl + "/") ? instanceUrl + url.substring(publicUrl.length()) : url;
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(routed))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "text/html")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        hops.add(response);
        return response;
    }

    /**
     * Submits the auto-posting form of a page (the SAML HTTP-POST binding: the IdP's page posts the
     * SAMLResponse to the ACS), as a browser with scripts on does; follows the redirects after it.
     */
    public HttpResponse<String> submitAutoPostForm(String html) throws IOException, InterruptedException {
        java.util.regex.Matcher action = java.util.regex.Pattern.compile("<form[^>]*action=\"([^\"]+)\"",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(html);
        if (!action.find()) {
            throw new AssertionError("no form in the page: " + html);
        }
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher input = java.util.regex.Pattern
                .compile("<input[^>]*name=\"([^\"]+)\"[^>]*value=\"([^\"]*)\"", java.util.regex.Pattern.CASE_INSENSITIVE).matcher(html);
        while (input.find()) {
            fields.put(input.group(1), unescape(input.group(2)));
        }
        return submit(unescape(action.group(1)), fields);
    }

    private static String unescape(String html) {
        return html.replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&#x3a;", ":").replace("&#x2f;", "/").replace("&#x3d;", "=").replace("&#x2b;", "+")
                .replace("&#x2d;", "-").replace("&#x2e;", ".").replace("&#x5f;", "_");
    }

    /** Follows redirects while they stay on loopback http; returns the first answer that is not one. */
    public HttpResponse<String> follow(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = get(url);
        for (int i = 0; i < 15 && response.statusCode() / 100 == 3; i++) {
            URI next = response.uri().resolve(response.headers().firstValue("Location").orElseThrow());
            if (!loopback(next)) {
                return response;
            }
            response = get(next.toString());
        }
        return response;
    }

    /** Tests send traffic only to loopback: anything else is where a browser would leave, not followed. */
    private static boolean loopback(URI uri) {
        return "http".equals(uri.getScheme()) && ("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
    }

    /**
     * Follows redirects up to the IdP's authorization endpoint without going there; returns the state
     * parameter Gatehouse put in that redirect.
     */
    public String startAndStopAtIdp(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = get(url);
        for (int i = 0; i < 10 && response.statusCode() / 100 == 3; i++) {
            String location = response.headers().firstValue("Location").orElseThrow();
            if (location.contains("/authorize")) {
                idpRedirect = location;
                return location.replaceAll(".*[?&]state=([^&]+).*", "$1");
            }
            response = get(response.uri().resolve(location).toString());
        }
        throw new AssertionError("no redirect to an authorization endpoint; last status " + response.statusCode());
    }

    /** The authorization URL {@link #startAndStopAtIdp} stopped at. */
    public String idpRedirect() {
        return idpRedirect;
    }

    /** Every response so far. */
    public List<HttpResponse<String>> hops() {
        return hops;
    }

    /** The value of the last Set-Cookie for this name across all hops, or null. */
    public String setCookie(String name) {
        String value = null;
        for (HttpResponse<String> hop : hops) {
            for (String header : hop.headers().allValues("Set-Cookie")) {
                if (header.startsWith(name + "=")) {
                    value = header.substring(name.length() + 1, header.indexOf(';') < 0 ? header.length() : header.indexOf(';'));
                }
            }
        }
        return value;
    }
}
