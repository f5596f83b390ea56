package io.gatehouse.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A minimal OIDC provider on loopback that publishes one key and, when told to forge, signs its ID
 * tokens with another key under the published key's {@code kid}: the shape of a bad signature.
 * Otherwise it is an honest, if tiny, provider (discovery, authorize, token, JWKS).
 */
public final class ForgingIdp implements AutoCloseable {

    private final HttpServer server;
    private final RSAKey published;
    private final RSAKey forger;
    private final Map<String, String[]> codes = new ConcurrentHashMap<>();
    private volatile boolean forge;
    private volatile boolean unsigned;

    public ForgingIdp() throws IOException, JOSEException {
        published = new RSAKeyGenerator(2048).keyID("key-1").generate();
        forger = new RSAKeyGenerator(2048).keyID("key-1").generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Whether ID tokens are signed with the unpublished key. */
    public void forge(boolean forge) {
        this.forge = forge;
        this.unsigned = false;
    }

    /** Whether ID tokens are not signed at all ({@code alg: none}). */
    public void unsigned(boolean unsigned) {
        this.unsigned = unsigned;
        this.forge = false;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try {
            switch (path) {
                case "/.well-known/openid-configuration" -> json(exchange, 200, """
                        {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                         "jwks_uri":"%1$s/jwks","response_types_supported":["code"],"subject_types_supported":["public"],
                         "id_token_signing_alg_values_supported":["RS256"],"code_challenge_methods_supported":["S256"]}"""
                        .formatted(issuer()));
                case "/jwks" -> json(exchange, 200, new JWKSet(published.toPublicJWK()).toString());
                case "/authorize" -> {
                    Map<String, String> q = params(exchange.getRequestURI().getRawQuery());
                    String code = UUID.randomUUID().toString();
                    codes.put(code, new String[] {q.get("client_id"), q.get("nonce")});
                    exchange.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state=" + q.get("state"));
                    exchange.sendResponseHeaders(302, -1);
                }
                case "/token" -> {
                    Map<String, String> form = params(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                    String[] grant = codes.remove(form.get("code"));
                    if (grant == null) {
                        json(exchange, 400, "{\"error\":\"invalid_grant\"}");
                        return;
                    }
                    String clientId = grant[0] != null ? grant[0] : form.get("client_id");
                    Date now = new Date();
                    JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).subject("forged-subject")
                            .audience(clientId).issueTime(now).expirationTime(new Date(now.getTime() + 300_000))
                            .claim("nonce", grant[1]).claim("email", "victim-" + UUID.randomUUID() + "@example.com").build();
                    String serialized;
                    if (unsigned) {
                        serialized = new com.nimbusds.jwt.PlainJWT(claims).serialize();
                    } else {
                        SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("key-1").build(), claims);
                        idToken.sign(new RSASSASigner(forge ? forger : published));
                        serialized = idToken.serialize();
                    }
                    json(exchange, 200, "{\"access_token\":\"opaque\",\"token_type\":\"Bearer\",\"expires_in\":300,\"id_token\":\""
                            + serialized + "\"}");
                }
                default -> json(exchange, 404, "{}");
            }
        } catch (JOSEException e) {
            json(exchange, 500, "{}");
        }
    }

    private static Map<String, String> params(String query) {
        Map<String, String> params = new HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return params;
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
