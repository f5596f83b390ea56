package io.gatehouse.forwardauth;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.PublicUrls;
import io.gatehouse.token.BearerHeader;
import io.gatehouse.token.TokenVerifier;
import io.gatehouse.token.VerifiedToken;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /v1/auth/verify} and every sub-path, any method: what nginx {@code auth_request},
 * ingress-nginx {@code auth-url}, Traefik ForwardAuth and Envoy {@code ext_authz} call for each
 * request. A plain Vert.x route on the event loop: token checks are in memory, no database call.
 */
@ApplicationScoped
public class ForwardAuthRoute {

    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

    private final TokenVerifier verifier;
    private final String cookieName;
    private final List<String> allowedHosts;
    private final String loginUrl;

    public ForwardAuthRoute(TokenVerifier verifier, GatehouseConfig config, PublicUrls urls) {
        this.verifier = verifier;
        this.cookieName = config.cookie().name();
        this.allowedHosts = config.forwardAuth().allowedHosts().orElse(List.of());
        this.loginUrl = urls.of("/login").toString();
    }

    /**
     * Ahead of Quarkus' own per-request filters (HTTP security, REST's failure-handler setup with its
     * URL-template lookup): this route authenticates by itself, reads no body and never reaches a REST
     * resource. Only the declared-body-size check ({@code BodyLimitProblem}) runs before it.
     */
    void install(@Observes Router router) {
        router.route("/v1/auth/verify").order(FIRST).handler(this::verify);
        router.route("/v1/auth/verify/*").order(FIRST).handler(this::verify);
    }

    static final int FIRST = Integer.MIN_VALUE + 1;

    private void verify(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        Optional<VerifiedToken> token = verifier.verify(credential(request));
        if (token.isEmpty()) {
            unauthenticated(request, response);
            return;
        }
        if (!ForwardAuth.meets(token.get(), request.getParam("org"), request.getParam("role"))) {
            response.setStatusCode(403).end();
            return;
        }
        CharSequence[] identity = identityHeaders.get(token.get(), ForwardAuthRoute::identityHeaders);
        for (int i = 0; i < identity.length; i += 2) {
            response.putHeader(identity[i], identity[i + 1]);
        }
        response.setStatusCode(200).end();
    }

    /**
     * The identity headers of each verified token, computed once: the token verifier hands out the same
     * VerifiedToken instance for a token it has seen, so this is keyed by identity (weak keys) and the
     * hot path allocates no maps, no UUID strings and no regex matchers per request.
     */
    private final com.github.benmanes.caffeine.cache.Cache<VerifiedToken, CharSequence[]> identityHeaders =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().weakKeys().maximumSize(20_000)
                    .executor(Runnable::run).build();

    private static CharSequence[] identityHeaders(VerifiedToken token) {
        Map<String, String> headers = ForwardAuth.headers(token);
        CharSequence[] pairs = new CharSequence[headers.size() * 2];
        int i = 0;
        for (Map.Entry<String, String> header : headers.entrySet()) {
            pairs[i++] = HttpHeaders.createOptimized(header.getKey());
            pairs[i++] = HttpHeaders.createOptimized(header.getValue());
        }
        return pairs;
    }

    private String credential(HttpServerRequest request) {
        String bearer = BearerHeader.token(request.getHeader(HttpHeaders.AUTHORIZATION));
        if (bearer != null) {
            return bearer;
        }
        io.vertx.core.http.Cookie cookie = request.getCookie(cookieName);
        return cookie == null ? null : cookie.getValue();
    }

    /** API callers get 401; browsers (Accept: text/html) a redirect to the login page, unless {@code ?redirect=false}. */
    private void unauthenticated(HttpServerRequest request, HttpServerResponse response) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        boolean browser = accept != null && accept.contains("text/html") && !"false".equals(request.getParam("redirect"));
        if (!browser) {
            response.setStatusCode(401).putHeader("WWW-Authenticate", "Bearer realm=\"gatehouse\"").end();
            return;
        }
        Map<String, String> headers = new HashMap<>();
        for (String name : List.of("x-original-url", "x-forwarded-host", "x-forwarded-proto", "x-forwarded-uri")) {
            String value = request.getHeader(name);
            if (value != null) {
                headers.put(name, value);
            }
        }
        String original = ForwardAuth.originalUrl(headers, allowedHosts);
        String location = original == null ? loginUrl : loginUrl + "?return_to=" + URLEncoder.encode(original, StandardCharsets.UTF_8);
        response.setStatusCode(302).putHeader(HttpHeaders.LOCATION, location).end();
    }
}
