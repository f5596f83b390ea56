package io.gatehouse.oidc;

import io.gatehouse.login.AttemptRecord;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Where the org's OIDC IdPs send back-channel logout tokens: {@code 200} when the token is valid (its
 * sessions ended, even none), {@code 400} with an OAuth-style error body when it is not; never cached.
 */
@Path("/v1/oidc/{org}/backchannel-logout")
@Tag(name = "Sign-in")
public class BackChannelLogoutResource {

    private final BackChannelLogout logout;

    public BackChannelLogoutResource(BackChannelLogout logout) {
        this.logout = logout;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OIDC back-channel logout: a logout token (sid and/or sub) ends the matching sessions on every replica")
    public Response logout(@PathParam("org") String org, @FormParam("logout_token") String token, @Context HttpServerRequest http) {
        try {
            logout.logout(org, token, AttemptRecord.ClientInfo.of(http));
            return Response.ok("{}").header("Cache-Control", "no-store").build();
        } catch (BackChannelLogout.Refused refused) {
            return Response.status(400).type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
                    .entity(new JsonObject().put("error", "invalid_request").put("error_description", refused.getMessage()).encode())
                    .build();
        }
    }
}
