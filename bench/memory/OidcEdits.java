import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * Edits one OIDC connection N times, moving its issuer between two IdPs, and starts a sign-in through it
 * after every edit (so quarkus-oidc builds the connection's tenant afresh each time). Every M edits prints
 * Gatehouse's RSS and its heap in use after a full collection (jcmd), which must not grow with the edits.
 *
 * Usage: java OidcEdits.java <gatehouse-url> <admin-token> <org> <connection-id> <issuer-a> <issuer-b> <edits> <mark-every> <gatehouse-pid>
 */
public class OidcEdits {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String admin = args[1];
        String org = args[2];
        String connection = args[3];
        String[] issuers = {args[4], args[5]};
        int edits = Integer.parseInt(args[6]);
        int mark = Integer.parseInt(args[7]);
        long pid = Long.parseLong(args[8]);
        System.out.printf("%6s %8s %9s %10s %14s%n", "edits", "seconds", "failures", "RSS", "heap after GC");
        System.out.printf("%6d %8s %9s %10s %14s%n", 0, "", "", rss(pid), heapAfterGc(pid));
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        int failures = 0;
        long began = System.nanoTime();
        for (int i = 1; i <= edits; i++) {
            String issuer = issuers[i % 2];
            HttpResponse<String> patched = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/orgs/" + org + "/connections/" + connection))
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"issuer\":\"" + issuer + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<Void> login = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/oidc/" + org + "/login")).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            String location = login.headers().firstValue("Location").orElse("");
            if (patched.statusCode() != 200 || login.statusCode() != 302 || !location.startsWith(issuer)) {
                failures++;
                if (failures <= 3) {
                    System.err.println("edit " + i + ": PATCH " + patched.statusCode() + " " + patched.body() + ", login " + login.statusCode() + " " + location);
                }
            }
            if (i % mark == 0) {
                System.out.printf("%6d %8.0f %9d %10s %14s%n", i, (System.nanoTime() - began) / 1e9, failures, rss(pid), heapAfterGc(pid));
            }
        }
        // A replaced tenant is closed 30 s after its replacement (OrgTenantConfigResolver): then only the last is left.
        Thread.sleep(35_000);
        System.out.printf("%6s %8.0f %9d %10s %14s%n", "+35 s", (System.nanoTime() - began) / 1e9, failures, rss(pid), heapAfterGc(pid));
    }

    static String rss(long pid) throws Exception {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024 + " MiB";
            }
        }
        return "?";
    }

    /** Heap in use right after a full collection (jcmd GC.run, then GC.heap_info's "used" figures summed). */
    static String heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        long usedK = 0;
        for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^ *(DefNew|Tenured|[a-zA-Z ]*[Gg]eneration) .*used (\\d+)K").matcher(line);
            if (m.find()) {
                usedK += Long.parseLong(m.group(2));
            }
        }
        return usedK / 1024 + " MiB";
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(System.getProperty("java.home") + "/bin/jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
