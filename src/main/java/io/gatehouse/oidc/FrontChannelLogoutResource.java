package io.gatehouse.oidc;

import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import io.gatehouse.token.SessionService;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * OIDC Front-Channel Logout 1.0: the IdP loads this URL when the person signs out there; every
 * Gatehouse session of that IdP session ({@code iss} + {@code sid}) in this org ends.
 */
@Path("/v1/oidc/{org}/frontchannel-logout")
@Tag(name = "Sign-in")
public class FrontChannelLogoutResource {

    private final ConnectionService connections;
    private final SessionService sessions;

    public FrontChannelLogoutResource(ConnectionService connections, SessionService sessions) {
        this.connections = connections;
        this.sessions = sessions;
    }

    @GET
    @Operation(summary = "Front-channel logout (iss, sid): ends the matching Gatehouse sessions of this org")
    public Response logout(@PathParam("org") String org, @QueryParam("iss") String issuer, @QueryParam("sid") String sid) {
        if (issuer != null && sid != null && !sid.isBlank()) {
            for (OidcConnection connection : connections.oidcConnections(org)) {
                if (OidcTenantConfigs.sameIssuer(issuer, OidcTenantConfigs.authServerUrl(connection))) {
                    sessions.revokeByIdpSession(connection.orgId(), connection.id(), sid);
                }
            }
        }
        // Loaded in an invisible iframe by the IdP: an empty page, never cached, never framed by others.
        return Response.ok("", "text/html").header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'").build();
    }
}
