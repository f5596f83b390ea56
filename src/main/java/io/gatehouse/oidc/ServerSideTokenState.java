package io.gatehouse.oidc;

import io.gatehouse.platform.SecretCipher;
import io.gatehouse.token.Secrets;
import io.quarkus.oidc.AuthorizationCodeTokens;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TokenStateManager;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * quarkus-oidc keeps the tokens of a finished code flow until the request it redirects to (the login
 * endpoint, which ends that session at once). Its default keeps them in cookies, split in chunks of
 * 4056 characters plus a long per-tenant name: over the 4096 bytes browsers keep, so an ID token of a
 * few KB (Entra ID with groups) was dropped and the sign-in failed. Here the ID token is kept in
 * PostgreSQL, encrypted, under the SHA-256 of a random 256-bit handle, and the cookie holds only the
 * handle; every replica can read it. Only the ID token is kept: Gatehouse needs nothing else.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ServerSideTokenState implements TokenStateManager {

    /** Far longer than a redirect takes; an abandoned state is purged after it. */
    static final Duration LIFETIME = Duration.ofMinutes(10);

    private final EntityManager em;
    private final SecretCipher cipher;
    private final Clock clock;

    public ServerSideTokenState(EntityManager em, SecretCipher cipher, Clock clock) {
        this.em = em;
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public Uni<String> createTokenState(RoutingContext routingContext, OidcTenantConfig oidcConfig,
                                        AuthorizationCodeTokens tokens, OidcRequestContext<String> requestContext) {
        return requestContext.runBlocking(() -> save(tokens.getIdToken()));
    }

    @Override
    public Uni<AuthorizationCodeTokens> getTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig,
                                                  String tokenState, OidcRequestContext<AuthorizationCodeTokens> requestContext) {
        return requestContext.runBlocking(() -> {
            String idToken = find(tokenState);
            if (idToken == null) {
                throw new AuthenticationFailedException("no such OIDC session (expired or ended)");
            }
            return new AuthorizationCodeTokens(idToken, null, null);
        });
    }

    @Override
    public Uni<Void> deleteTokens(RoutingContext routingContext, OidcTenantConfig oidcConfig, String tokenState,
                                  OidcRequestContext<Void> requestContext) {
        return requestContext.runBlocking(() -> {
            delete(tokenState);
            return null;
        });
    }

    @Transactional
    String save(String idToken) {
        String handle = Secrets.newToken();
        String key = Secrets.hash(handle);
        em.createNativeQuery("insert into oidc_token_states (handle_hash, id_token, expires_at) values (?1, ?2, ?3)")
                .setParameter(1, key)
                .setParameter(2, cipher.encrypt(idToken, context(key)))
                .setParameter(3, clock.instant().plus(LIFETIME))
                .executeUpdate();
        return handle;
    }

    /** The ID token kept under this handle, or null when there is none (or it expired). */
    @Transactional
    String find(String handle) {
        if (handle == null || handle.length() != 43) {
            return null;
        }
        String key = Secrets.hash(handle);
        List<?> rows = em.createNativeQuery("select id_token from oidc_token_states where handle_hash = ?1 and expires_at > ?2")
                .setParameter(1, key)
                .setParameter(2, clock.instant())
                .getResultList();
        return rows.isEmpty() ? null : cipher.decryptToString((String) rows.getFirst(), context(key));
    }

    @Transactional
    void delete(String handle) {
        if (handle != null) {
            em.createNativeQuery("delete from oidc_token_states where handle_hash = ?1")
                    .setParameter(1, Secrets.hash(handle)).executeUpdate();
        }
    }

    private static String context(String key) {
        return "oidc-token-state:" + key;
    }
}
