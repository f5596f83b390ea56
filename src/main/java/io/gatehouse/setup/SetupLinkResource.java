package io.gatehouse.setup;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** Setup links of an org: made, listed and revoked by the operator or the org's admins. */
@Path("/v1/orgs/{org}/setup-links")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Setup")
@SecurityRequirement(name = "bearer")
public class SetupLinkResource {

    private final SetupLinks links;

    public SetupLinkResource(SetupLinks links) {
        this.links = links;
    }

    /** {@code {"expires_in": "7d", "scope": ["sso", "domains", "directory"]}}; both optional. */
    public record LinkRequest(String expiresIn, List<String> scope) {
    }

    @POST
    @Operation(summary = "Make a setup link for the org's IT admin: its url (shown only here) opens the setup pages of this org "
            + "for these scopes until it expires or is revoked")
    public Response create(@PathParam("org") String org, LinkRequest request) {
        LinkRequest r = request == null ? new LinkRequest(null, null) : request;
        return Response.status(201).entity(links.create(org, r.expiresIn(), r.scope())).build();
    }

    @GET
    @Operation(summary = "The org's setup links (never their secrets): scope, expiry, status, last use")
    public List<SetupLinks.LinkView> list(@PathParam("org") String org) {
        return links.list(org);
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revoke a setup link: it and every page session opened with it stop working at once")
    public Response revoke(@PathParam("org") String org, @PathParam("id") UUID id) {
        links.revoke(org, id);
        return Response.noContent().build();
    }
}
