import io.gatehouse.testing.TestSamlIdp;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.gatehouse.testing.BenchFigures.cpuTicks;
import static io.gatehouse.testing.BenchFigures.percentileMillis;

/**
 * Refresh-token grants per second, Gatehouse and Keycloak driven the same way: T threads, each holding
 * one refresh token and trading it for the next as fast as it can (both rotate: Keycloak's realm has
 * "Revoke Refresh Token" on with no reuse, Gatehouse always rotates and treats a reuse as theft), a
 * warm-up, then a measured period. Gatehouse's tokens come from a mobile sign-in through a SAML
 * connection (sso/start → AuthnRequest → signed response → code → PKCE exchange); Keycloak's from a
 * password grant of a public client. Prints grants/s, latency percentiles, failures and the server's
 * CPU time per grant (from /proc).
 *
 * Usage: java -cp <classpath> RefreshBench.java <gatehouse-url> <admin-token> <gatehouse-pid>
 *        <keycloak-url|none> <keycloak-pid> <threads> <warmup-seconds> <measured-seconds>
 */
public class RefreshBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private static final Pattern REFRESH = Pattern.compile("\"refresh_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern ACCESS = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final String CALLBACK = "http://127.0.0.1:9/callback";

    /** One way to trade a refresh token for the next: its grant request body. */
    interface Server {
        String name();

        String tokenUrl();

        String body(String refreshToken);

        long pid();
    }

    public static void main(String[] args) throws Exception {
        String gatehouse = args[0];
        String admin = args[1];
        long gatehousePid = Long.parseLong(args[2]);
        String keycloak = args[3];
        long keycloakPid = Long.parseLong(args[4]);
        int threads = Integer.parseInt(args[5]);
        int warmup = Integer.parseInt(args[6]);
        int measured = Integer.parseInt(args[7]);

        List<String> gatehouseTokens = gatehouseTokens(gatehouse, admin, threads);
        Server g = server("gatehouse", gatehouse + "/v1/token", rt -> "grant_type=refresh_token&client_id=bench&refresh_token=" + rt, gatehousePid);
        System.out.printf("%-10s %8s %10s %9s %9s %9s %9s %10s%n", "server", "threads", "grants/s", "p50", "p90", "p99", "failures", "CPU/grant");
        run(g, gatehouseTokens, warmup, measured);
        if (!keycloak.equals("none")) {
            List<String> keycloakTokens = keycloakTokens(keycloak, threads);
            Server k = server("keycloak", keycloak + "/realms/bench/protocol/openid-connect/token",
                    rt -> "grant_type=refresh_token&client_id=bench&refresh_token=" + rt, keycloakPid);
            run(k, keycloakTokens, warmup, measured);
        }
    }

    private static Server server(String name, String url, java.util.function.UnaryOperator<String> body, long pid) {
        return new Server() {
            public String name() { return name; }
            public String tokenUrl() { return url; }
            public String body(String refreshToken) { return body.apply(refreshToken); }
            public long pid() { return pid; }
        };
    }

    /** Warms up, then measures; one line of figures. */
    private static void run(Server server, List<String> tokens, int warmupSeconds, int measuredSeconds) throws Exception {
        String[] held = tokens.toArray(String[]::new);
        drive(server, held, warmupSeconds, null);
        long cpuBefore = cpuTicks(server.pid());
        List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        Result result = drive(server, held, measuredSeconds, latencies);
        double cpuSeconds = (cpuTicks(server.pid()) - cpuBefore) / 100.0;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%-10s %8d %10.0f %7.1fms %7.1fms %7.1fms %9d %8.2fms%n", server.name(), held.length,
                result.grants() / result.seconds(), percentileMillis(sorted, 0.50), percentileMillis(sorted, 0.90), percentileMillis(sorted, 0.99), result.failures(),
                result.grants() == 0 ? 0 : cpuSeconds * 1000 / result.grants());
    }

    record Result(long grants, int failures, double seconds) {
    }

    private static Result drive(Server server, String[] held, int seconds, List<Long> latencies) throws Exception {
        AtomicLong grants = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        long began = System.nanoTime();
        long until = began + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < held.length; t++) {
            int slot = t;
            workers.add(Thread.ofPlatform().start(() -> {
                while (System.nanoTime() < until && held[slot] != null) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(server.tokenUrl()))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(server.body(held[slot]))).build(), HttpResponse.BodyHandlers.ofString());
                        Matcher next = REFRESH.matcher(response.body());
                        if (response.statusCode() == 200 && next.find() && ACCESS.matcher(response.body()).find()) {
                            held[slot] = next.group(1);
                            grants.incrementAndGet();
                            if (latencies != null) {
                                latencies.add(System.nanoTime() - start);
                            }
                        } else {
                            failures.incrementAndGet();
                            System.err.println(server.name() + ": " + response.statusCode() + " " + response.body());
                            held[slot] = null;
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        held[slot] = null;
                    }
                }
            }));
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new Result(grants.get(), failures.get(), (System.nanoTime() - began) / 1e9);
    }

    /** One refresh token per thread from a mobile sign-in through a SAML connection of org "rbench". */
    private static List<String> gatehouseTokens(String base, String admin, int count) throws Exception {
        String publicSp = "http://localhost:8080/v1/saml/rbench";
        TestSamlIdp idp = new TestSamlIdp("https://idp.rbench.example/metadata");
        call("POST", base + "/v1/orgs", "Bearer " + admin, "application/json", "{\"code\":\"rbench\",\"name\":\"Refresh bench\",\"domains\":[\"rbench.example\"]}");
        String metadata = idp.metadata("https://idp.rbench.example/sso").replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\r", "").replace("\n", "\\n");
        call("POST", base + "/v1/orgs/rbench/connections", "Bearer " + admin, "application/json", "{\"type\":\"saml\",\"metadata_xml\":\"" + metadata + "\"}");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
            String start = location(get(base + "/v1/sso/start?login=rbench&client_id=bench&code_challenge_method=S256&code_challenge="
                    + challenge + "&redirect_uri=" + enc(CALLBACK)));
            HttpResponse<String> atSp = get(base + URI.create(start).getRawPath() + "?" + URI.create(start).getRawQuery());
            String toIdp = location(atSp);
            // The browser binding: the cookie the start set must come back with the response.
            String cookies = String.join("; ", atSp.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0]).toList());
            String requestId = TestSamlIdp.authnRequest(toIdp).getID();
            String relayState = TestSamlIdp.query(toIdp).get("RelayState");
            int person = i;
            String response = idp.response(publicSp, publicSp + "/acs").with(r -> {
                r.inResponseTo = requestId;
                r.nameId = "person" + person + "@rbench.example";
                r.attributes.put("email", List.of(r.nameId));
            }).base64();
            String back = location(HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v1/saml/rbench/acs"))
                    .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookies)
                    .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse=" + enc(response) + "&RelayState=" + enc(relayState))).build(),
                    HttpResponse.BodyHandlers.ofString()));
            String code = TestSamlIdp.query(back).get("code");
            String answer = call("POST", base + "/v1/token", null, "application/x-www-form-urlencoded",
                    "grant_type=authorization_code&client_id=bench&code=" + enc(code) + "&code_verifier=" + verifier + "&redirect_uri=" + enc(CALLBACK));
            tokens.add(refreshToken(answer));
        }
        return tokens;
    }

    /** One refresh token per thread from a realm "bench" with a public client and "Revoke Refresh Token" on. */
    private static List<String> keycloakTokens(String base, int count) throws Exception {
        String adminToken = accessToken(call("POST", base + "/realms/master/protocol/openid-connect/token", null,
                "application/x-www-form-urlencoded", "grant_type=password&client_id=admin-cli&username=admin&password=admin"));
        call("POST", base + "/admin/realms", "Bearer " + adminToken, "application/json",
                "{\"realm\":\"bench\",\"enabled\":true,\"revokeRefreshToken\":true,\"refreshTokenMaxReuse\":0,\"ssoSessionIdleTimeout\":86400}");
        call("POST", base + "/admin/realms/bench/clients", "Bearer " + adminToken, "application/json",
                "{\"clientId\":\"bench\",\"publicClient\":true,\"directAccessGrantsEnabled\":true,\"standardFlowEnabled\":false}");
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            call("POST", base + "/admin/realms/bench/users", "Bearer " + adminToken, "application/json",
                    "{\"username\":\"person" + i + "\",\"enabled\":true,\"email\":\"person" + i + "@kc.example\",\"emailVerified\":true,"
                            + "\"firstName\":\"P\",\"lastName\":\"" + i + "\",\"credentials\":[{\"type\":\"password\",\"value\":\"correct horse\",\"temporary\":false}]}");
            tokens.add(refreshToken(call("POST", base + "/realms/bench/protocol/openid-connect/token", null, "application/x-www-form-urlencoded",
                    "grant_type=password&client_id=bench&username=person" + i + "&password=" + enc("correct horse"))));
        }
        return tokens;
    }

    private static String refreshToken(String json) {
        Matcher m = REFRESH.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no refresh token in " + json);
        }
        return m.group(1);
    }

    private static String accessToken(String json) {
        Matcher m = ACCESS.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no access token in " + json);
        }
        return m.group(1);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String location(HttpResponse<String> response) {
        return response.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException(response.uri() + " → " + response.statusCode() + " " + response.body()));
    }

    private static String call(String method, String url, String authorization, String type, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + " → " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
