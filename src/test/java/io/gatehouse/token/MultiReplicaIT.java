package io.gatehouse.token;

import io.gatehouse.testing.Keycloak;
import io.gatehouse.testing.Ports;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestBrowser;
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
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two instances of the packaged application on one PostgreSQL, sharing nothing else, and a round-robin
 * nginx in front of them (as a Kubernetes Service spreads requests): a session ended on one is refused
 * by the other within a second, and an OIDC sign-in completes whichever replica each hop lands on.
 */
class MultiReplicaIT {

    private static final String ADMIN = "multi-replica-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final List<Process> REPLICAS = new ArrayList<>();
    private static int a;
    private static int b;
    /** The balancer's port: the replicas' public URL is http://localhost:{front}. */
    private static int front;
    private static Process nginx;

    @BeforeAll
    static void startTwoReplicasBehindABalancer() throws Exception {
        front = Ports.free();
        a = start();
        b = start();
        nginx = balancer();
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
        builder.environment().put("GATEHOUSE_PUBLIC_URL", "http://localhost:" + front);
        // The test IdP (Keycloak) is on plain http on loopback: allowed by name, as a deployment's own tests would.
        builder.environment().put("GATEHOUSE_ALLOW_HTTP_URLS", "true");
        builder.environment().put("GATEHOUSE_EGRESS_ALLOWED_HOSTS", "127.0.0.1,localhost");
        REPLICAS.add(builder.start());
        Ports.awaitListening(port, Duration.ofSeconds(60));
        return port;
    }

    @AfterAll
    static void stop() {
        if (nginx != null) {
            nginx.destroy();
        }
        REPLICAS.forEach(Process::destroy);
    }

    /** nginx, round-robin over the two replicas; each answer says which one served it (X-Served-By). */
    private static Process balancer() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("gatehouse-lb");
        Files.writeString(dir.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                    upstream gatehouse { server 127.0.0.1:%2$d; server 127.0.0.1:%3$d; }
                    server {
                        listen 127.0.0.1:%4$d;
                        location / {
                            proxy_pass http://gatehouse;
                            proxy_set_header Host $http_host;
                            add_header X-Served-By $upstream_addr always;
                        }
                    }
                }
                """.formatted(dir, a, b, front));
        Process process = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        Ports.awaitListening(front, Duration.ofSeconds(10));
        return process;
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

    /** Polls {@code path} on the replica until it stops answering 200; returns how long that took, or fails after a second. */
    private static long refusedWithinASecond(int port, String path, String token, String what) throws Exception {
        long changed = System.nanoTime();
        int status;
        do {
            status = send(port, "GET", path, token, null).statusCode();
        } while (status == 200 && System.nanoTime() - changed < 1_000_000_000L);
        long millis = (System.nanoTime() - changed) / 1_000_000;
        assertTrue(status == 401 || status == 403, "replica still accepted the token " + millis + " ms after " + what + ": " + status);
        assertTrue(millis < 1000, millis + " ms");
        return millis;
    }

    @Test
    void aDemotionAndADisablingOnOneReplicaAreSeenByTheOtherWithinASecond() throws Exception {
        String org = "change-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send(a, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + org + "\",\"name\":\"Changes\"}").statusCode());
        HttpResponse<String> created = send(a, "POST", "/v1/orgs/" + org + "/users", ADMIN,
                "{\"username\":\"" + org + "-boss\",\"password\":\"correct horse battery\",\"roles\":[\"admin\"]}");
        assertEquals(201, created.statusCode(), created.body());
        String id = field(created.body(), "id");
        String login = "{\"username\":\"" + org + "-boss\",\"password\":\"correct horse battery\"}";
        String token = field(send(b, "POST", "/v1/login", null, login).body(), "access_token");
        assertEquals(200, send(b, "GET", "/v1/auth/verify?role=admin", token, null).statusCode());
        assertEquals(200, send(b, "GET", "/v1/orgs/" + org + "/users", token, null).statusCode(), "an admin of the org");

        assertEquals(200, send(a, "PATCH", "/v1/orgs/" + org + "/users/" + id, ADMIN, "{\"roles\":[\"member\"]}").statusCode());
        long demoted = refusedWithinASecond(b, "/v1/auth/verify?role=admin", token, "the demotion");
        assertEquals(401, send(b, "GET", "/v1/orgs/" + org + "/users", token, null).statusCode(), "the API refuses the old token too");

        String again = field(send(b, "POST", "/v1/login", null, login).body(), "access_token");
        assertEquals(200, send(b, "GET", "/v1/auth/verify", again, null).statusCode());
        assertEquals(403, send(b, "GET", "/v1/auth/verify?role=admin", again, null).statusCode(), "signed in again: a member");
        assertEquals(200, send(a, "PATCH", "/v1/orgs/" + org + "/users/" + id, ADMIN, "{\"status\":\"disabled\"}").statusCode());
        long disabled = refusedWithinASecond(b, "/v1/me", again, "the disabling");
        System.out.println("replica B refused the demoted admin's token after " + demoted + " ms, the disabled person's after "
                + disabled + " ms");
    }

    /** Signs in through the login page of the replica; returns the session cookie. */
    private static String pageSignIn(int port, String username, String password) throws Exception {
        HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertTrue(csrf.find(), page.body());
        String csrfCookie = cookie(page, "gatehouse_csrf");
        HttpResponse<String> signedIn = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", "gatehouse_csrf=" + csrfCookie)
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&username=" + username + "&password="
                        + password.replace(" ", "+"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        return cookie(signedIn, "gatehouse_session");
    }

    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';'))).findFirst().orElseThrow();
    }

    @Test
    void aDeprovisioningOnOneReplicaSignsThePersonOutOnTheOtherWithinASecond() throws Exception {
        String org = "scim-" + UUID.randomUUID().toString().substring(0, 8);
        String domain = org + ".example";
        assertEquals(201, send(a, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + org + "\",\"name\":\"Directory\"}").statusCode());
        io.gatehouse.testing.Db.execute("insert into org_domains (domain, org_id) select ?, id from orgs where code = ?", domain, org);
        String username = "jane@" + domain;
        assertEquals(201, send(a, "POST", "/v1/orgs/" + org + "/users", ADMIN, "{\"username\":\"" + username
                + "\",\"email\":\"" + username + "\",\"password\":\"correct horse battery\"}").statusCode());
        HttpResponse<String> token = send(a, "POST", "/v1/orgs/" + org + "/directory/tokens", ADMIN, "{\"name\":\"Entra ID\"}");
        assertEquals(201, token.statusCode(), token.body());
        String scim = field(token.body(), "token");
        HttpResponse<String> adopted = send(a, "POST", "/scim/v2/" + org + "/Users", scim, "{\"userName\":\"" + username
                + "\",\"emails\":[{\"value\":\"" + username + "\",\"primary\":true}],\"active\":true}");
        assertEquals(201, adopted.statusCode(), adopted.body());
        String id = field(adopted.body(), "id");

        String bearer = field(send(b, "POST", "/v1/login", null, "{\"username\":\"" + username
                + "\",\"password\":\"correct horse battery\"}").body(), "access_token");
        String cookie = pageSignIn(b, username, "correct horse battery");
        assertEquals(200, send(b, "GET", "/v1/auth/verify", bearer, null).statusCode());
        HttpRequest withCookie = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b + "/v1/auth/verify"))
                .header("Cookie", "gatehouse_session=" + cookie).build();
        assertEquals(200, HTTP.send(withCookie, HttpResponse.BodyHandlers.discarding()).statusCode());

        HttpResponse<String> off = send(a, "PATCH", "/scim/v2/" + org + "/Users/" + id, scim,
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
        assertEquals(200, off.statusCode(), off.body());
        long bearerRefused = refusedWithinASecond(b, "/v1/auth/verify", bearer, "the deprovisioning");
        long started = System.nanoTime();
        int status;
        do {
            status = HTTP.send(withCookie, HttpResponse.BodyHandlers.discarding()).statusCode();
        } while (status == 200 && System.nanoTime() - started < 1_000_000_000L);
        assertEquals(401, status, "replica B still accepted the cookie");
        System.out.println("replica B refused the deprovisioned person's bearer after " + bearerRefused + " ms, their cookie after "
                + (System.nanoTime() - started) / 1_000_000 + " ms more");
    }

    /**
     * The two replicas behind one nginx, round-robin, as a Kubernetes Service spreads requests: the
     * replica that served the sign-in is never the one that serves the verification and the logout.
     */
    @Test
    void behindARoundRobinNginxSignInOnOneVerifyAndLogOutOnTheOther() throws Exception {
        String org = "lb-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, send(front, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + org + "\",\"name\":\"LB\"}").statusCode());
        assertEquals(201, send(front, "POST", "/v1/orgs/" + org + "/users", ADMIN,
                "{\"username\":\"" + org + "-joe\",\"password\":\"correct horse battery\"}").statusCode());
        HttpResponse<String> login = send(front, "POST", "/v1/login", null,
                "{\"username\":\"" + org + "-joe\",\"password\":\"correct horse battery\"}");
        assertEquals(200, login.statusCode(), login.body());
        String signedInOn = login.headers().firstValue("X-Served-By").orElseThrow();
        String token = field(login.body(), "access_token");

        HttpResponse<String> verified = sendUntilOther(front, "GET", "/v1/auth/verify", token, signedInOn);
        assertEquals(200, verified.statusCode(), "verified on the other replica");
        HttpResponse<String> logout = sendUntilOther(front, "POST", "/v1/logout", token, signedInOn);
        assertEquals(204, logout.statusCode(), "logged out on the other replica");
        Thread.sleep(1000);
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> after = send(front, "GET", "/v1/auth/verify", token, null);
            assertEquals(401, after.statusCode(), "refused by " + after.headers().firstValue("X-Served-By").orElse("?"));
        }
        System.out.println("signed in on " + signedInOn + ", verified on " + verified.headers().firstValue("X-Served-By").orElse("?")
                + ", logged out on " + logout.headers().firstValue("X-Served-By").orElse("?"));
    }

    /**
     * Keycloak's answer reaches one replica at /v1/callback; quarkus-oidc's session (kept in PostgreSQL)
     * is read by the other one at the login endpoint it redirects to, and the sign-in completes there.
     */
    @Test
    void anOidcSignInCompletesOnTheReplicaTheCallbackDidNotLandOn() throws Exception {
        String org = "oidc-" + UUID.randomUUID().toString().substring(0, 8);
        Keycloak.Realm realm = Keycloak.oidcRealm("replica-secret", "http://localhost:" + front + "/v1/callback", "jane",
                org + "@example.com");
        assertEquals(201, send(front, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + org + "\",\"name\":\"OIDC\"}").statusCode());
        HttpResponse<String> connection = send(front, "POST", "/v1/orgs/" + org + "/connections", ADMIN,
                "{\"type\":\"oidc\",\"issuer\":\"" + Keycloak.url() + "/realms/" + realm.name()
                        + "\",\"client_id\":\"gatehouse\",\"client_secret\":\"replica-secret\",\"scopes\":[\"openid\",\"email\",\"profile\"]}");
        assertEquals(201, connection.statusCode(), connection.body());

        TestBrowser browser = new TestBrowser("http://localhost:" + front);
        HttpResponse<String> loginPage = browser.follow("http://localhost:" + front + "/v1/sso/start?login=" + org);
        assertEquals(200, loginPage.statusCode(), loginPage.body());
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(loginPage.body());
        assertTrue(action.find(), "Keycloak's login form");
        HttpResponse<String> landing = browser.submit(action.group(1).replace("&amp;", "&"),
                Map.of("username", "jane", "password", "correct horse"));
        assertEquals(200, landing.statusCode(), landing.body());
        assertTrue(landing.body().contains("Signed in as <strong>Jane Doe</strong> in <strong>OIDC</strong>"), landing.body());

        List<HttpResponse<String>> hops = browser.hops();
        int callback = -1;
        for (int i = 0; i < hops.size(); i++) {
            if (hops.get(i).uri().getPath().equals("/v1/callback")) {
                callback = i;
            }
        }
        assertTrue(callback >= 0 && callback + 1 < hops.size(), "a callback hop and one after it");
        String callbackOn = hops.get(callback).headers().firstValue("X-Served-By").orElseThrow();
        HttpResponse<String> completion = hops.get(callback + 1);
        assertEquals("/v1/oidc/" + org + "/login", completion.uri().getPath());
        assertEquals(303, completion.statusCode());
        String completedOn = completion.headers().firstValue("X-Served-By").orElseThrow();
        assertTrue(!callbackOn.equals(completedOn), "callback and completion both on " + callbackOn);
        System.out.println("OIDC callback on " + callbackOn + ", sign-in completed on " + completedOn);
    }

    /**
     * Keycloak's admin "Sign out" of a person reaches Gatehouse server to server — a SAML LogoutRequest
     * (HTTP-POST binding, signed) for a SAML sign-in, a logout token for an OIDC one — on whichever replica
     * nginx hands it to; both replicas refuse the person's Gatehouse session within a second.
     */
    @Test
    void keycloaksAdminSignOutEndsSamlAndOidcSessionsOnBothReplicas() throws Exception {
        String base = "http://localhost:" + front;
        String samlOrg = "kslo-" + UUID.randomUUID().toString().substring(0, 8);
        Keycloak.Realm saml = Keycloak.samlRealm(base + "/v1/saml/" + samlOrg, samlOrg + "@example.com", false);
        assertEquals(201, send(front, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + samlOrg + "\",\"name\":\"SAML\"}").statusCode());
        HttpResponse<String> samlConnection = send(front, "POST", "/v1/orgs/" + samlOrg + "/connections", ADMIN,
                "{\"type\":\"saml\",\"metadata_url\":\"" + Keycloak.url() + "/realms/" + saml.name() + "/protocol/saml/descriptor\"}");
        assertEquals(201, samlConnection.statusCode(), samlConnection.body());
        TestBrowser samlBrowser = new TestBrowser(base);
        HttpResponse<String> posting = keycloakLogin(samlBrowser, base + "/v1/sso/start?login=" + samlOrg);
        samlBrowser.submitAutoPostForm(posting.body());
        String samlCookie = samlBrowser.setCookie("gatehouse_session");
        assertEquals(List.of(200, 200), verifyOnBothReplicas(samlCookie), "the SAML sign-in works on both replicas");
        Keycloak.signOutUser(saml, "jane");
        long samlMs = cookieRefusedOnBothReplicas(samlCookie, "Keycloak's SAML sign-out");

        String oidcOrg = "kbcl-" + UUID.randomUUID().toString().substring(0, 8);
        Keycloak.Realm oidc = Keycloak.oidcRealm("replica-secret", base + "/v1/callback", "jane", oidcOrg + "@example.com");
        Keycloak.setClientAttributes(oidc, Map.of("backchannel.logout.url", base + "/v1/oidc/" + oidcOrg + "/backchannel-logout",
                "backchannel.logout.session.required", "true"));
        assertEquals(201, send(front, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + oidcOrg + "\",\"name\":\"OIDC\"}").statusCode());
        assertEquals(201, send(front, "POST", "/v1/orgs/" + oidcOrg + "/connections", ADMIN,
                "{\"type\":\"oidc\",\"issuer\":\"" + Keycloak.url() + "/realms/" + oidc.name()
                        + "\",\"client_id\":\"gatehouse\",\"client_secret\":\"replica-secret\",\"scopes\":[\"openid\",\"email\"]}").statusCode());
        TestBrowser oidcBrowser = new TestBrowser(base);
        assertEquals(200, keycloakLogin(oidcBrowser, base + "/v1/sso/start?login=" + oidcOrg).statusCode());
        String oidcCookie = oidcBrowser.setCookie("gatehouse_session");
        assertEquals(List.of(200, 200), verifyOnBothReplicas(oidcCookie), "the OIDC sign-in works on both replicas");
        Keycloak.signOutUser(oidc, "jane");
        long oidcMs = cookieRefusedOnBothReplicas(oidcCookie, "Keycloak's OIDC back-channel logout");
        System.out.println("Keycloak admin sign-out: SAML session refused on both replicas after " + samlMs
                + " ms, OIDC after " + oidcMs + " ms");
    }

    /**
     * One person in two accounts of a shared configuration, a token for each (signed in to the parent, then
     * switched to account B); the configuration's directory deprovisions them on one replica: both replicas
     * refuse both tokens within a second.
     */
    @Test
    void deprovisioningAtTheDirectoryEndsTheSessionsOfEveryAccountOnBothReplicas() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        String base = "http://localhost:" + front;
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String parent = "mpar-" + suffix;
        String accA = "macc-" + suffix;
        String accB = "mbcc-" + suffix;
        for (String org : List.of(parent, accA, accB)) {
            assertEquals(201, send(front, "POST", "/v1/orgs", ADMIN, "{\"code\":\"" + org + "\",\"name\":\"" + org + "\"}").statusCode());
        }
        io.gatehouse.testing.TestSamlIdp idp = new io.gatehouse.testing.TestSamlIdp("https://idp.example.org/" + parent);
        assertEquals(201, send(front, "POST", "/v1/orgs/" + parent + "/connections", ADMIN, json.writeValueAsString(
                Map.of("type", "saml", "metadata_xml", idp.metadata("https://idp.example.org/sso")))).statusCode());
        for (String account : List.of(accA, accB)) {
            assertEquals(200, send(front, "PUT", "/v1/orgs/" + account + "/sso-parent", ADMIN, "{\"org\":\"" + parent + "\"}").statusCode());
        }
        assertEquals(200, send(front, "PUT", "/v1/orgs/" + parent + "/default-account", ADMIN, "{\"org\":\"" + accA + "\"}").statusCode());

        // The configuration's directory provisions her (the parent owns her email's domain); she signs in
        // (IdP-initiated) on replica A, as the provisioned person, in the parent.
        String email = "jane@" + suffix + ".example";
        io.gatehouse.testing.Db.execute("insert into org_domains (domain, org_id) select ?, id from orgs where code = ?", suffix + ".example", parent);
        String scim = field(send(MultiReplicaIT.a, "POST", "/v1/orgs/" + parent + "/directory/tokens", ADMIN, "{\"name\":\"dir\"}").body(), "token");
        HttpResponse<String> provisioned = send(MultiReplicaIT.a, "POST", "/scim/v2/" + parent + "/Users", scim, "{\"userName\":\"" + email
                + "\",\"emails\":[{\"value\":\"" + email + "\",\"primary\":true}],\"active\":true}");
        assertEquals(201, provisioned.statusCode(), provisioned.body());
        String answer = idp.response(base + "/v1/saml/" + parent, base + "/v1/saml/" + parent + "/acs").with(r -> {
            r.nameId = email;
            r.attributes.put("email", List.of(email));
        }).base64();
        HttpResponse<String> acs = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + MultiReplicaIT.a + "/v1/saml/" + parent + "/acs"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("SAMLResponse=" + java.net.URLEncoder.encode(answer, java.nio.charset.StandardCharsets.UTF_8)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, acs.statusCode(), acs.body());
        String tokenA = acs.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("gatehouse_session="))
                .map(c -> c.substring("gatehouse_session=".length(), c.indexOf(';'))).findFirst().orElseThrow();
        String person = field(send(MultiReplicaIT.a, "GET", "/v1/me", tokenA, null).body(), "id");

        // B's admin adds her; she switches her session to B (on replica B).
        assertEquals(201, send(front, "POST", "/v1/orgs/" + accB + "/users", ADMIN, "{\"username\":\"" + accB + "-admin\",\"password\":\"correct horse battery\",\"roles\":[\"admin\"]}").statusCode());
        String adminB = field(send(front, "POST", "/v1/login", null, "{\"username\":\"" + accB + "-admin\",\"password\":\"correct horse battery\"}").body(), "access_token");
        assertEquals(201, send(front, "POST", "/v1/orgs/" + accB + "/members", adminB, "{\"user\":\"" + email + "\",\"roles\":[\"member\"]}").statusCode());
        String tokenB = field(send(MultiReplicaIT.b, "POST", "/v1/me/account", tokenA, "{\"org\":\"" + accB + "\"}").body(), "access_token");
        for (int port : new int[]{MultiReplicaIT.a, MultiReplicaIT.b}) {
            assertEquals(200, send(port, "GET", "/v1/auth/verify", tokenA, null).statusCode());
            assertEquals(200, send(port, "GET", "/v1/auth/verify", tokenB, null).statusCode());
        }

        // The configuration's directory deprovisions her on replica A.
        HttpResponse<String> off = send(MultiReplicaIT.a, "PATCH", "/scim/v2/" + parent + "/Users/" + person, scim,
                "{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"Replace\",\"path\":\"active\",\"value\":\"False\"}]}");
        assertEquals(200, off.statusCode(), off.body());
        long started = System.nanoTime();
        boolean refused;
        do {
            refused = true;
            for (int port : new int[]{MultiReplicaIT.a, MultiReplicaIT.b}) {
                refused &= send(port, "GET", "/v1/auth/verify", tokenA, null).statusCode() == 401
                        && send(port, "GET", "/v1/auth/verify", tokenB, null).statusCode() == 401;
            }
        } while (!refused && System.nanoTime() - started < 3_000_000_000L);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(refused && ms < 1000, "an account's token still accepted after " + ms + " ms");
        System.out.println("deprovisioned person's tokens of both accounts refused on both replicas after " + ms + " ms");
    }

    /** Starts a sign-in and fills in Keycloak's login form as jane; returns Keycloak's (or Gatehouse's) answer. */
    private static HttpResponse<String> keycloakLogin(TestBrowser browser, String start) throws Exception {
        HttpResponse<String> loginPage = browser.follow(start);
        assertEquals(200, loginPage.statusCode(), loginPage.body());
        Matcher action = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"").matcher(loginPage.body());
        assertTrue(action.find(), "Keycloak's login form");
        return browser.submit(action.group(1).replace("&amp;", "&"), Map.of("username", "jane", "password", "correct horse"));
    }

    /** The forward-auth answer of each replica to the session cookie. */
    private static List<Integer> verifyOnBothReplicas(String cookie) throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int port : new int[]{a, b}) {
            HttpRequest verify = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/auth/verify"))
                    .header("Cookie", "gatehouse_session=" + cookie).build();
            statuses.add(HTTP.send(verify, HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        return statuses;
    }

    /** Checks the cookie on both replicas until both refuse it; returns how long that took. */
    private static long cookieRefusedOnBothReplicas(String cookie, String what) throws Exception {
        long started = System.nanoTime();
        boolean refused;
        do {
            refused = verifyOnBothReplicas(cookie).equals(List.of(401, 401));
        } while (!refused && System.nanoTime() - started < 3_000_000_000L);
        long ms = (System.nanoTime() - started) / 1_000_000;
        assertTrue(refused && ms < 1000, what + ": still accepted after " + ms + " ms");
        return ms;
    }

    /** Sends through the balancer until another replica than {@code not} answers (round-robin: at most twice). */
    private static HttpResponse<String> sendUntilOther(int port, String method, String path, String token, String not)
            throws IOException, InterruptedException {
        // A harmless request lands on the replica to avoid, so round-robin sends the next one to the other.
        for (int i = 0; i < 4 && !not.equals(send(port, "GET", "/q/health/live", null, null).headers()
                .firstValue("X-Served-By").orElse(not)); i++) {
            // until the replica to avoid answered
        }
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> response = send(port, method, path, token, null);
            if (!not.equals(response.headers().firstValue("X-Served-By").orElse(not))) {
                return response;
            }
            if (!method.equals("GET")) {
                throw new AssertionError(method + " " + path + " was served by the same replica " + not);
            }
        }
        throw new AssertionError("nginx never reached the other replica");
    }

    @Test
    void bothReplicasPublishTheSameKeys() throws Exception {
        assertEquals(send(a, "GET", "/.well-known/jwks.json", null, null).body(),
                send(b, "GET", "/.well-known/jwks.json", null, null).body());
    }
}
