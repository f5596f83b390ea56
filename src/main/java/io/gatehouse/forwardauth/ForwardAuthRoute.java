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

    void install(@Observes Router router) {
        router.route("/v1/auth/verify").handler(this::verify);
        router.route("/v1/auth/verify/*").handler(this::verify);
    }

    private void verify(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        HttpServerResponse response = ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        Optional<VerifiedToken> token = verifier.verify(credential(request));
        if (token.isEmpty()) {
            unauthenticated(request, response);
            return;
        }
        if (!ForwardAuth.meets(token.get(), request.getParam("org"), request.getParam("role"))) {
            response.setStatusCode(403).end();
            return;
        }
        ForwardAuth.headers(token.get()).forEach(response::putHeader);
        response.setStatusCode(200).end();
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
