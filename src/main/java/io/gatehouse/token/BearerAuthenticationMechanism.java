package io.gatehouse.token;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Set;

/**
 * The API's only authentication mechanism: {@code Authorization: Bearer <token>}, where the token is
 * the operator's admin token or a Gatehouse access token (see {@link BearerIdentityProvider}). The
 * pages ({@code /}, {@code /admin/…}, {@code /setup/…}, the landing page's {@code /sessions/…} and {@code /account} forms) also take the browser session cookie; the API never does, so a
 * cross-site request cannot use the cookie against it.
 */
@ApplicationScoped
public class BearerAuthenticationMechanism implements HttpAuthenticationMechanism {

    private final String cookieName;

    public BearerAuthenticationMechanism(io.gatehouse.platform.GatehouseConfig config) {
        this.cookieName = config.cookie().name();
    }

    /** Paths of pages that know who is signed in. */
    static boolean isPage(String path) {
        return path.equals("/") || path.equals("/admin") || path.startsWith("/admin/") || path.startsWith("/sessions/")
                || path.equals("/account") || path.equals("/setup") || path.startsWith("/setup/");
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null) {
            io.vertx.core.http.Cookie cookie = isPage(context.normalizedPath()) ? context.request().getCookie(cookieName) : null;
            if (cookie == null || cookie.getValue().isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            SessionCookieRequest request = new SessionCookieRequest(cookie.getValue());
            HttpSecurityUtils.setRoutingContextAttribute(request, context);
            return identityProviderManager.authenticate(request);
        }
        String token = BearerHeader.token(header);
        if (token == null) {
            return Uni.createFrom().failure(new AuthenticationFailedException());
        }
        BearerTokenRequest request = new BearerTokenRequest(token);
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        return identityProviderManager.authenticate(request);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer realm=\"gatehouse\""));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(BearerTokenRequest.class, SessionCookieRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }
}
