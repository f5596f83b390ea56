import io.gatehouse.testing.TestSamlIdp;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import static io.gatehouse.testing.BenchFigures.cpuTicks;
import static io.gatehouse.testing.BenchFigures.percentileMillis;

/**
 * SAML ACS throughput: configures an org with a SAML connection from this IdP's metadata, signs N
 * distinct IdP-initiated responses (a replay-free stream; NameIDs cycle over a pool of people, so after
 * the warm-up every login links an existing user), posts them to the ACS from C threads, and prints
 * validated logins/s and latency percentiles. Each login is the whole path: parse, signature, checks,
 * replay store insert, JIT link, session, attempt row, cookie.
 *
 * With a Gatehouse pid, also prints the server's CPU time per sign-in (from /proc); with an output directory,
 * writes every response (one base64 per line, warm-up first) and the IdP's certificate there, for the peer
 * (validate.mjs) to check the very same messages.
 *
 * Usage: java -cp <classpath> AcsBench.java <base-url> <admin-token> <warmup> <measured> <threads> [<gatehouse-pid> [<out-dir>]]
 */
public class AcsBench {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String admin = args[1];
        int warmup = Integer.parseInt(args[2]);
        int measured = Integer.parseInt(args[3]);
        int threads = Integer.parseInt(args[4]);
        String publicSp = "http://localhost:8080/v1/saml/bench";
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

        TestSamlIdp idp = new TestSamlIdp("https://idp.bench.example/metadata");
        call(http, "POST", base + "/v1/orgs", admin, "{\"code\":\"bench\",\"name\":\"Bench\",\"domains\":[\"bench.example\"]}");
        String metadata = idp.metadata("https://idp.bench.example/sso").replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\r", "").replace("\n", "\\n");
        call(http, "POST", base + "/v1/orgs/bench/connections", admin, "{\"type\":\"saml\",\"metadata_xml\":\"" + metadata + "\"}");

        long pid = args.length > 5 ? Long.parseLong(args[5]) : 0;
        java.nio.file.Path out = args.length > 6 ? java.nio.file.Path.of(args[6]) : null;
        System.out.printf("signing %d responses ...%n", warmup + measured);
        List<String> bodies = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        for (int i = 0; i < warmup + measured; i++) {
            int person = i % 200;
            String form = idp.response(publicSp, publicSp + "/acs").with(r -> {
                r.nameId = "person" + person + "@bench.example";
                r.attributes.put("email", List.of(r.nameId));
            }).base64();
            raw.add(form);
            bodies.add("SAMLResponse=" + URLEncoder.encode(form, StandardCharsets.UTF_8));
        }
        if (out != null) {
            java.nio.file.Files.write(out.resolve("responses.txt"), raw);
            java.nio.file.Files.writeString(out.resolve("idp.pem"), "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(idp.certificate().getEncoded()) + "\n-----END CERTIFICATE-----\n");
        }
        run(http, base, bodies.subList(0, warmup), threads);
        long[] latencies = new long[measured];
        long cpuBefore = pid == 0 ? 0 : cpuTicks(pid);
        long start = System.nanoTime();
        int failures = run(http, base, bodies.subList(warmup, bodies.size()), threads, latencies);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = pid == 0 ? 0 : (cpuTicks(pid) - cpuBefore) / 100.0;
        Arrays.sort(latencies);
        System.out.printf("%d logins over %d threads in %.1f s, %d cores: %.0f logins/s, p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, failures %d%n",
                measured, threads, seconds, Runtime.getRuntime().availableProcessors(), measured / seconds,
                percentileMillis(latencies, 0.50), percentileMillis(latencies, 0.90), percentileMillis(latencies, 0.99), latencies[latencies.length - 1] / 1e6, failures);
        if (pid != 0) {
            System.out.printf("gatehouse CPU: %.2f ms per sign-in, %.0f sign-ins per CPU-second%n", cpuSeconds * 1000 / measured, measured / cpuSeconds);
        }
    }

    private static int run(HttpClient http, String base, List<String> bodies, int threads) throws Exception {
        return run(http, base, bodies, threads, new long[bodies.size()]);
    }

    private static int run(HttpClient http, String base, List<String> bodies, int threads, long[] latencies) throws Exception {
        ConcurrentLinkedQueue<Integer> next = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < bodies.size(); i++) {
            next.add(i);
        }
        AtomicInteger failures = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                Integer i;
                while ((i = next.poll()) != null) {
                    long began = System.nanoTime();
                    try {
                        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/saml/bench/acs"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i))).build(), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 303 || response.headers().firstValue("Set-Cookie").isEmpty()) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - began;
                }
            });
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return failures.get();
    }

    private static void call(HttpClient http, String method, String url, String admin, String json) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + admin)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + url + " → " + response.statusCode() + " " + response.body());
        }
    }
}
