package io.gatehouse.oidc;

import io.gatehouse.login.IdpLogout;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import io.gatehouse.platform.PublicUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriBuilder;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * OpenID Connect RP-Initiated Logout 1.0: when the IdP's discovery has an {@code end_session_endpoint},
 * the browser goes there with the sign-in's {@code id_token_hint}, Gatehouse's {@code client_id} and its
 * one registered {@code post_logout_redirect_uri} ({@code /logout/done}), and comes back to Gatehouse.
 */
@ApplicationScoped
public class RpInitiatedLogout implements IdpLogout {

    private final ConnectionService connections;
    private final IdpDiscovery discovery;
    private final PublicUrls urls;

    public RpInitiatedLogout(ConnectionService connections, IdpDiscovery discovery, PublicUrls urls) {
        this.connections = connections;
        this.discovery = discovery;
        this.urls = urls;
    }

    @Override
    public String protocol() {
        return "oidc";
    }

    @Override
    public Optional<URI> endSessionUrl(UUID orgId, UUID connectionId, String idToken) {
        if (orgId == null || connectionId == null || idToken == null) {
            return Optional.empty();
        }
        Optional<OidcConnection> connection = connections.oidcConnection(orgId, connectionId);
        if (connection.isEmpty()) {
            return Optional.empty();
        }
        OidcConnection c = connection.get();
        IdpDiscovery.Issuer idp;
        try {
            idp = discovery.await(OidcTenantConfigs.version(c), OidcTenantConfigs.authServerUrl(c));
        } catch (RuntimeException unreachable) {
            return Optional.empty();
        }
        String endpoint = idp.endSessionEndpoint();
        if (endpoint == null || !(endpoint.toLowerCase(Locale.ROOT).startsWith("https://") || endpoint.toLowerCase(Locale.ROOT).startsWith("http://"))) {
            return Optional.empty();
        }
        return Optional.of(UriBuilder.fromUri(endpoint).queryParam("id_token_hint", idToken)
                .queryParam("client_id", c.settings().clientId())
                .queryParam("post_logout_redirect_uri", urls.base() + "/logout/done").build());
    }
}
