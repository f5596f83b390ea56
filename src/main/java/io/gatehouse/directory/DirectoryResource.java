package io.gatehouse.directory;

import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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

/** An org's directory sync settings: its SCIM tokens and its group → role mappings. */
@Path("/v1/orgs/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Directory sync")
@SecurityRequirement(name = "bearer")
public class DirectoryResource {

    private final ScimTokens tokens;
    private final RoleMappings mappings;

    public DirectoryResource(ScimTokens tokens, RoleMappings mappings) {
        this.tokens = tokens;
        this.mappings = mappings;
    }

    /** {@code {"name": "Entra ID provisioning"}} */
    public record TokenRequest(@NotNull(message = "is required") String name) {
    }

    @POST
    @Path("/directory/tokens")
    @Operation(summary = "Create a SCIM bearer token for the org: the token is shown in this answer only")
    public Response createToken(@PathParam("org") String org,
                                @NotNull(message = "a JSON body is required") @jakarta.validation.Valid TokenRequest request) {
        return Response.status(201).entity(tokens.create(org, request.name())).build();
    }

    @GET
    @Path("/directory/tokens")
    @Operation(summary = "The org's SCIM tokens (never their secrets), with when each was last used")
    public List<ScimTokens.TokenView> listTokens(@PathParam("org") String org) {
        return tokens.list(org);
    }

    @DELETE
    @Path("/directory/tokens/{id}")
    @Operation(summary = "Revoke a SCIM token: it stops working at once")
    public Response revokeToken(@PathParam("org") String org, @PathParam("id") UUID id) {
        tokens.revoke(org, id);
        return Response.noContent().build();
    }

    @GET
    @Path("/role-mappings")
    @Operation(summary = "The org's IdP group → role mappings")
    public RoleMappings.Mappings getMappings(@PathParam("org") String org) {
        return mappings.get(org);
    }

    @PUT
    @Path("/role-mappings")
    @Operation(summary = "Replace the org's IdP group → role mappings; everyone's group roles are recomputed at once")
    public RoleMappings.Mappings putMappings(@PathParam("org") String org,
                                             @NotNull(message = "a JSON body is required") @jakarta.validation.Valid RoleMappings.Mappings request) {
        return mappings.replace(org, request);
    }
}
