package io.gatehouse.oidc;

import io.gatehouse.org.ConnectionType;
import io.gatehouse.org.OidcConnection;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.OidcTenantConfigBuilder;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;

import java.util.List;
import java.util.UUID;

/**
 * A connection → the quarkus-oidc tenant that signs its people in: code flow with PKCE, state and
 * nonce, one shared redirect URI, ID token checked against the IdP's JWKS. Pure.
 */
public final class OidcTenantConfigs {

    /** Where Entra ID's v2.0 endpoints are, per tenant. */
    static final String AZURE_AUTHORITY = "https://login.microsoftonline.com/%s/v2.0";
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";
    static final String PREFIX = "conn-";

    private OidcTenantConfigs() {
    }

    /**
     * The tenant id: the connection and its org, so the callback, which knows only the tenant id, finds
     * the connection within its org. One per connection, however often it changes: quarkus-oidc never
     * forgets a tenant, so a changed connection replaces its tenant ({@link OrgTenantConfigResolver})
     * instead of adding one.
     */
    public static String tenantId(OidcConnection connection) {
        return PREFIX + connection.id() + "-" + connection.orgId();
    }

    /**
     * The connection as it is now: what is learned from its IdP (discovery, keys) is kept under this, so a
     * changed connection (a new issuer, a rotated secret) reads its IdP afresh.
     */
    public static String version(OidcConnection connection) {
        return tenantId(connection) + "-" + connection.updatedAt().toEpochMilli();
    }

    /** The org id inside a tenant id, or null when it is not one of ours. */
    public static UUID orgId(String tenantId) {
        return connectionId(tenantId) == null ? null : uuidAt(tenantId, PREFIX.length() + 37);
    }

    /** The connection id inside a tenant id, or null when it is not one of ours. */
    public static UUID connectionId(String tenantId) {
        return tenantId == null || !tenantId.startsWith(PREFIX) ? null : uuidAt(tenantId, PREFIX.length());
    }

    private static UUID uuidAt(String tenantId, int start) {
        if (tenantId.length() < start + 36) {
            return null;
        }
        try {
            return UUID.fromString(tenantId.substring(start, start + 36));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether two issuer URLs name the same issuer (a trailing slash aside); false when either is missing. */
    static boolean sameIssuer(String a, String b) {
        return a != null && b != null && withoutTrailingSlash(a).equals(withoutTrailingSlash(b));
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The issuer or authority the OIDC client discovers its endpoints from. */
    static String authServerUrl(OidcConnection connection) {
        String discovery = connection.settings().discoveryUrl();
        if (discovery != null) {
            return discovery.endsWith(WELL_KNOWN) ? discovery.substring(0, discovery.length() - WELL_KNOWN.length()) : discovery;
        }
        return connection.type() == ConnectionType.AZURE_AD
                ? AZURE_AUTHORITY.formatted(connection.settings().tenantId())
                : connection.settings().issuer();
    }

    /** Where quarkus-oidc's calls to the IdP (discovery, JWKS, token, userinfo) go: the egress proxy. */
    public record Proxy(String host, int port) {
    }

    /**
     * @param cookieSecret encrypts the flow's state cookie (PKCE verifier, nonce): a
     *                     256-bit key of Gatehouse's own, so it never depends on the IdP's client secret
     * @param egress       the egress proxy every call of the tenant's OIDC client goes through
     */
    public static OidcTenantConfig build(OidcConnection connection, String errorPath, String cookieSecret, Proxy egress) {
        List<String> scopes = connection.settings().scopes() != null
                ? connection.settings().scopes().stream().filter(s -> !s.equals("openid")).toList()
                : List.of("email", "profile");
        OidcTenantConfigBuilder builder = OidcTenantConfig.builder()
                .tenantId(tenantId(connection))
                .authServerUrl(authServerUrl(connection))
                .clientId(connection.settings().clientId())
                .proxy(egress.host(), egress.port())
                .applicationType(ApplicationType.WEB_APP)
                .authentication()
                    .redirectPath("/v1/callback")
                    .restorePathAfterRedirect(true)
                    .removeRedirectParameters(true)
                    .pkceRequired(true)
                    // A callback whose state is missing or not this browser's ends in state_invalid, never a
                    // fresh redirect to the IdP (which loops and piles up cookies).
                    .failOnMissingStateParam(true)
                    .nonceRequired(true)
                    .idTokenRequired(true)
                    .scopes(scopes)
                    .errorPath(errorPath)
                    .stateSecret(cookieSecret)
                    .end()
                .tokenStateManager()
                    // Only the ID token is kept between the callback and the login endpoint (Gatehouse drops
                    // quarkus-oidc's session right there), and on the server: see ServerSideTokenState.
                    .strategy(io.quarkus.oidc.runtime.OidcTenantConfig.TokenStateManager.Strategy.ID_TOKEN)
                    .end()
                .token()
                    .allowJwtIntrospection(false)
                    .allowOpaqueTokenIntrospection(false)
                    .end();
        if (connection.clientSecret() != null) {
            builder.credentials().secret(connection.clientSecret()).end();
        }
        return builder.build();
    }
}
