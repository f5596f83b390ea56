package io.gatehouse.login;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.token.BearerHeader;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Ends the caller's session, whether it comes as the session cookie or a bearer token. */
@Path("/v1/logout")
@Tag(name = "Sign-in")
public class LogoutResource {

    private final Logout logout;
    private final GatehouseConfig config;

    public LogoutResource(Logout logout, GatehouseConfig config) {
        this.logout = logout;
        this.config = config;
    }

    @POST
    @Operation(summary = "End the current session (cookie or bearer) and clear the cookie; with idp=true, also answer where "
            + "to send the browser so the IdP ends its session (OIDC RP-initiated logout)")
    public Response logout(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @HeaderParam(HttpHeaders.COOKIE) String cookies, @QueryParam("idp") boolean idp) {
        String bearer = BearerHeader.token(authorization);
        String cookie = SessionCookies.value(cookies, config.cookie().name());
        if (idp) {
            java.util.Optional<java.net.URI> next = logout.endWithIdp(bearer, cookie);
            if (next.isPresent()) {
                return Response.ok(java.util.Map.of("idp_logout_url", next.get().toString()), jakarta.ws.rs.core.MediaType.APPLICATION_JSON)
                        .header(HttpHeaders.SET_COOKIE, SessionCookies.clear(config)).header("Cache-Control", "no-store").build();
            }
        } else {
            logout.end(bearer, cookie);
        }
        return Response.noContent().header(HttpHeaders.SET_COOKIE, SessionCookies.clear(config)).build();
    }
}
