package io.gatehouse.token;

import io.gatehouse.testing.Ports;
import io.gatehouse.testing.PostgresResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the packaged application on one PostgreSQL, sharing nothing else: a session ended
 * on one is refused by the other within a second.
 */
class MultiReplicaIT {

    private static final String ADMIN = "multi-replica-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<Process> REPLICAS = new ArrayList<>();
    private static int a;
    private static int b;

    @BeforeAll
    static void startTwoReplicas() throws Exception {
        a = start();
        b = start();
    }

    private static int start() throws IOException, InterruptedException {
        int port = Ports.free();
        Path log = Files.createTempFile("gatehouse-replica-" + port, ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEHOUSE_") || name.startsWith("QUARKUS_"));
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.jdbcUrl());
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        builder.environment().put("GATEHOUSE_ADMIN_TOKEN", ADMIN);
        builder.environment().put("GATEHOUSE_MASTER_KEY", "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=");
        REPLICAS.add(builder.start());
        Ports.awaitListening(port, Duration.ofSeconds(60));
        return port;
    }

    @AfterAll
    static void stop() {
        REPLICAS.forEach(Process::destroy);
    }

    private static HttpResponse<String> send(int port, String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String field(String json, String name) {
        int start = json.indexOf("\"" + name + "\":\"") + name.length() + 4;
        return json.substring(start, json.indexOf('"', start));
    }

    @Test
    void logoutOnOneReplicaIsRefusedByTheOtherWithinASecond() throws Exception {
        String org = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send(a, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + org + "\",\"name\":\"Replicas\"}").statusCode());
        assertEquals(201, send(a, "POST", "/v1/orgs/" + org + "/users", ADMIN,
                "{\"username\":\"" + org + "-jane\",\"password\":\"correct horse battery\"}").statusCode());
        HttpResponse<String> login = send(b, "POST", "/v1/login", null,
                "{\"username\":\"" + org + "-jane\",\"password\":\"correct horse battery\"}");
        assertEquals(200, login.statusCode(), login.body());
        String token = field(login.body(), "access_token");

        assertEquals(200, send(a, "GET", "/v1/auth/verify", token, null).statusCode(), "signed in on B, verified on A");
        assertEquals(200, send(b, "GET", "/v1/auth/verify", token, null).statusCode());

        assertEquals(204, send(a, "POST", "/v1/logout", token, null).statusCode());
        long loggedOut = System.nanoTime();
        int status;
        do {
            status = send(b, "GET", "/v1/auth/verify", token, null).statusCode();
        } while (status == 200 && System.nanoTime() - loggedOut < 1_000_000_000L);
        long millis = (System.nanoTime() - loggedOut) / 1_000_000;
        assertEquals(401, status, "replica B still accepted the token " + millis + " ms after logout on A");
        assertTrue(millis < 1000, millis + " ms");
        System.out.println("replica B refused the logged-out session after " + millis + " ms");
    }

    @Test
    void bothReplicasPublishTheSameKeys() throws Exception {
        assertEquals(send(a, "GET", "/.well-known/jwks.json", null, null).body(),
                send(b, "GET", "/.well-known/jwks.json", null, null).body());
    }
}
