import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.testing.BenchFigures.cpuTicks;
import static io.gatehouse.testing.BenchFigures.percentileMillis;

/**
 * OIDC sign-ins end to end, with mock-oauth2-server as the IdP (in this process, on loopback): each
 * sign-in is the browser's whole way — sso/start, /v1/oidc/{org}/login (state cookie, PKCE, nonce), the
 * IdP's authorize (it answers at once), /v1/callback (the code exchanged server to server, the ID token
 * verified against the IdP's JWKS) and back to the login endpoint, which sets the session cookie. The
 * subjects cycle over 200 people, so after the warm-up every sign-in links an existing user. Prints
 * sign-ins/s, latency percentiles and Gatehouse's CPU per sign-in.
 *
 * Usage: java -cp <classpath> OidcBench.java <gatehouse-url> <admin-token> <gatehouse-pid> <idp-port> <warmup> <measured> <threads>
 */
public class OidcBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1).build();
    private static final String PUBLIC = "http://localhost:8080";

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String admin = args[1];
        long pid = Long.parseLong(args[2]);
        int port = Integer.parseInt(args[3]);
        int warmup = Integer.parseInt(args[4]);
        int measured = Integer.parseInt(args[5]);
        int threads = Integer.parseInt(args[6]);
        MockOAuth2Server idp = new MockOAuth2Server();
        idp.start(InetAddress.getByName("127.0.0.1"), port);
        String issuer = idp.issuerUrl("bench").toString();
        call(base + "/v1/orgs", admin, "{\"code\":\"obench\",\"name\":\"OIDC bench\",\"domains\":[\"oidc.bench\"]}");
        call(base + "/v1/orgs/obench/connections", admin,
                "{\"type\":\"oidc\",\"issuer\":\"" + issuer + "\",\"client_id\":\"obench\",\"client_secret\":\"secret\"}");
        run(idp, base, warmup, threads, null);
        long[] latencies = new long[measured];
        long cpuBefore = cpuTicks(pid);
        long began = System.nanoTime();
        int failures = run(idp, base, measured, threads, latencies);
        double seconds = (System.nanoTime() - began) / 1e9;
        double cpu = (cpuTicks(pid) - cpuBefore) / 100.0;
        Arrays.sort(latencies);
        System.out.printf("%d OIDC sign-ins over %d threads in %.1f s: %.0f sign-ins/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, failures %d%n",
                measured, threads, seconds, measured / seconds, percentileMillis(latencies, 0.5), percentileMillis(latencies, 0.9), percentileMillis(latencies, 0.99), failures);
        System.out.printf("gatehouse CPU: %.2f ms per sign-in, %.0f sign-ins per CPU-second%n", cpu * 1000 / measured, measured / cpu);
        idp.shutdown();
        System.exit(0);
    }

    private static int run(MockOAuth2Server idp, String base, int count, int threads, long[] latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().start(() -> {
                int i;
                while ((i = next.getAndIncrement()) < count) {
                    long start = System.nanoTime();
                    try {
                        signIn(idp, base, i % 200);
                    } catch (Exception e) {
                        if (failures.getAndIncrement() < 3) {
                            System.err.println("sign-in failed: " + e.getMessage());
                        }
                    }
                    if (latencies != null) {
                        latencies[i] = System.nanoTime() - start;
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return failures.get();
    }

    /** One browser's sign-in; throws unless it ends with Gatehouse's session cookie. */
    private static void signIn(MockOAuth2Server idp, String base, int person) throws Exception {
        Map<String, String> cookies = new LinkedHashMap<>();
        String login = location(get(base + "/v1/sso/start?login=obench", cookies));
        HttpResponse<String> toIdp = get(local(base, login), cookies);
        String authorize = location(toIdp);
        idp.enqueueCallback(new DefaultOAuth2TokenCallback("bench", "person" + person, "JWT", List.of("obench"),
                Map.of("email", "person" + person + "@oidc.bench", "email_verified", true), 3600));
        String callback = location(get(authorize, null));
        String next = location(get(local(base, callback), cookies));
        for (int hops = 0; hops < 3 && !cookies.containsKey("gatehouse_session"); hops++) {
            HttpResponse<String> response = get(local(base, next), cookies);
            if (response.statusCode() / 100 != 3) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            next = location(response);
        }
        if (!cookies.containsKey("gatehouse_session")) {
            throw new IllegalStateException("no session cookie; last location " + next);
        }
    }

    /** A Gatehouse URL (absolute at its public address, or a path) made to point at the server under test. */
    private static String local(String base, String location) {
        return location.startsWith(PUBLIC) ? base + location.substring(PUBLIC.length()) : location.startsWith("/") ? base + location : location;
    }

    private static HttpResponse<String> get(String url, Map<String, String> cookies) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
        if (cookies != null && !cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (cookies != null) {
            for (String set : response.headers().allValues("Set-Cookie")) {
                String pair = set.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || set.toLowerCase().contains("max-age=0")) {
                    cookies.remove(pair.substring(0, eq));
                } else {
                    cookies.put(pair.substring(0, eq), value);
                }
            }
        }
        return response;
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException(response.uri() + " → " + response.statusCode() + " " + response.body()));
    }

    private static void call(String url, String admin, String json) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(url + " → " + response.statusCode() + " " + response.body());
        }
    }

}
