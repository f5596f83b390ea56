package io.gatehouse.forwardauth;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Ports;
import io.gatehouse.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real nginx (Debian's package) with auth_request to Gatehouse, in front of a small upstream. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class NginxForwardAuthTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static Process nginx;
    private static int front;

    /** Started before the first test, once Quarkus has told REST Assured its port. */
    @BeforeEach
    void startNginx() throws Exception {
        if (nginx != null) {
            return;
        }
        Path dir = Files.createTempDirectory("gatehouse-nginx");
        front = Ports.free();
        String config;
        try (InputStream template = NginxForwardAuthTest.class.getResourceAsStream("/nginx/forward-auth.conf")) {
            config = new String(template.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("${DIR}", dir.toString())
                    .replace("${FRONT_PORT}", String.valueOf(front))
                    .replace("${UPSTREAM_PORT}", String.valueOf(Ports.free()))
                    .replace("${GATEHOUSE_PORT}", String.valueOf(RestAssured.port));
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config);
        nginx = new ProcessBuilder(nginxBinary(), "-p", dir.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Ports.awaitListening(front, Duration.ofSeconds(10));
    }

    private static String nginxBinary() {
        for (String candidate : new String[] {"/usr/sbin/nginx", "/usr/bin/nginx"}) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("nginx is not installed: apt-get install -y nginx-light (see README)");
    }

    @AfterAll
    static void stopNginx() {
        if (nginx != null) {
            nginx.destroy();
        }
    }

    private static HttpResponse<String> get(String token, String spoofedUser) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + front + "/reports")).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (spoofedUser != null) {
            request.header("X-Auth-User-Id", spoofedUser);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noTokenIsStoppedAtNginx() throws Exception {
        assertEquals(401, get(null, null).statusCode());
    }

    @Test
    void spoofedIdentityHeaderWithoutTokenIsStopped() throws Exception {
        assertEquals(401, get(null, "00000000-0000-0000-0000-000000000000").statusCode());
    }

    @Test
    void validTokenReachesTheUpstreamWithTheVerifiedIdentityAndLogoutEndsIt() throws Exception {
        String org = Api.createOrg("nginx");
        String username = Api.newCode("u");
        String userId = Api.createUser(org, username, "member");
        String token = Api.login(username);

        HttpResponse<String> response = get(token, "00000000-0000-0000-0000-000000000000");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("user=" + userId + " org=" + org + " roles=member\n", response.body());

        given().header("Authorization", "Bearer " + token).post("/v1/logout").then().statusCode(204);
        assertEquals(401, get(token, null).statusCode());
        assertTrue(get(token, null).body().contains("401"));
    }
}
