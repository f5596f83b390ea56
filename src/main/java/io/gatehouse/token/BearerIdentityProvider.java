package io.gatehouse.token;

import io.gatehouse.platform.AdminToken;
import io.gatehouse.platform.Caller;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Turns a bearer token into a caller: the operator when it is the admin token, else the user of a
 * valid Gatehouse access token. CPU only (hash compare, signature check), so it runs where it is called.
 */
@ApplicationScoped
public class BearerIdentityProvider implements IdentityProvider<BearerTokenRequest> {

    private final AdminToken adminToken;
    private final TokenVerifier verifier;

    public BearerIdentityProvider(AdminToken adminToken, TokenVerifier verifier) {
        this.adminToken = adminToken;
        this.verifier = verifier;
    }

    @Override
    public Class<BearerTokenRequest> getRequestType() {
        return BearerTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(BearerTokenRequest request, AuthenticationRequestContext context) {
        if (adminToken.matches(request.token())) {
            return Uni.createFrom().item(identity("operator", Caller.OPERATOR));
        }
        return user(request.token());
    }

    /** Users of a valid Gatehouse token; shared with the pages' cookie provider. */
    Uni<SecurityIdentity> user(String token) {
        return verifier.verify(token)
                .map(t -> Uni.createFrom().item(identity(t.userId().toString(), new Caller(false,
                        t.userId(), t.orgId(), t.orgCode(), t.sessionId(), t.roles()))))
                .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException()));
    }

    /** The pages' session cookie: a Gatehouse token only. */
    @ApplicationScoped
    public static class CookieProvider implements IdentityProvider<SessionCookieRequest> {

        private final BearerIdentityProvider tokens;

        public CookieProvider(BearerIdentityProvider tokens) {
            this.tokens = tokens;
        }

        @Override
        public Class<SessionCookieRequest> getRequestType() {
            return SessionCookieRequest.class;
        }

        @Override
        public Uni<SecurityIdentity> authenticate(SessionCookieRequest request, AuthenticationRequestContext context) {
            return tokens.user(request.token());
        }
    }

    private static SecurityIdentity identity(String principal, Caller caller) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(principal))
                .addAttribute(Caller.ATTRIBUTE, caller);
        if (caller.operator()) {
            builder.addRole("operator");
        } else {
            builder.addRoles(java.util.Set.copyOf(caller.roles()));
        }
        return builder.build();
    }
}
