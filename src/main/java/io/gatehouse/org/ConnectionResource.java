package io.gatehouse.org;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.platform.MergePatch;
import io.quarkus.security.Authenticated;
import jakarta.validation.constraints.NotNull;
import io.gatehouse.platform.PublicUrls;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.UUID;

/** An org's identity provider connections (a SAML connection's metadata upload and refresh live with SAML). */
@Path("/v1/orgs/{org}/connections")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Connections")
@SecurityRequirement(name = "bearer")
public class ConnectionResource {

    private final PublicUrls urls;
    private final ConnectionService connections;
    private final ObjectMapper json;
    private final jakarta.validation.Validator validator;

    public ConnectionResource(ConnectionService connections, PublicUrls urls, ObjectMapper json,
                              jakarta.validation.Validator validator) {
        this.json = json;
        this.validator = validator;
        this.urls = urls;
        this.connections = connections;
    }

    @POST
    @Operation(summary = "Add a connection: azure-ad, oidc or saml")
    @RequestBody(content = @Content(examples = {
            @ExampleObject(name = "azure-ad", value = "{\"type\": \"azure-ad\", \"tenant_id\": \"3f2b1c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d\", "
                    + "\"client_id\": \"0a1b2c3d-4e5f-4061-8a9b-0c1d2e3f4a5b\", \"client_secret\": \"<value>\", "
                    + "\"client_secret_expires_at\": \"2027-05-01T00:00:00Z\"}"),
            @ExampleObject(name = "oidc", value = "{\"type\": \"oidc\", \"issuer\": \"https://idp.example.com\", "
                    + "\"client_id\": \"gatehouse\", \"client_secret\": \"<value>\", \"scopes\": [\"openid\", \"email\", \"profile\"]}"),
            @ExampleObject(name = "saml", value = "{\"type\": \"saml\", \"metadata_url\": \"https://idp.example.com/metadata\"}")}))
    public Response create(@PathParam("org") String org,
                           @NotNull(message = "a JSON body is required") ObjectNode body) throws JsonProcessingException {
        ConnectionView created = connections.create(org, MergePatch.read(json, validator, body, ConnectionRequest.class));
        return Response.created(urls.of("/v1/orgs/" + org + "/connections/" + created.id())).entity(created).build();
    }

    @GET
    @Operation(summary = "List the org's connections")
    public List<ConnectionView> list(@PathParam("org") String org) {
        return connections.list(org);
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a connection (the client secret is never returned)")
    public ConnectionView get(@PathParam("org") String org, @PathParam("id") UUID id) {
        return connections.get(org, id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a connection: only the fields given (a merge patch: an optional field given as null is removed, "
            + "e.g. the SP overrides or the secret expiry); the type never changes")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "rotate secret",
            value = "{\"client_secret\": \"<new value>\", \"client_secret_expires_at\": \"2028-05-01T00:00:00Z\"}")))
    public ConnectionView update(@PathParam("org") String org, @PathParam("id") UUID id,
                                 @NotNull(message = "a JSON body is required") ObjectNode body) throws JsonProcessingException {
        // A merge patch (RFC 7396): absent fields stay, a field given as null is removed.
        return connections.update(org, id, MergePatch.read(json, validator, body, ConnectionRequest.class), MergePatch.removedFields(body));
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Remove a connection and its identity links")
    public Response delete(@PathParam("org") String org, @PathParam("id") UUID id) {
        connections.delete(org, id);
        return Response.noContent().build();
    }
}
