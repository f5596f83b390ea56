package io.gatehouse.org;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.platform.MergePatch;
import io.gatehouse.platform.Page;
import io.quarkus.security.Authenticated;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.groups.ConvertGroup;
import jakarta.validation.groups.Default;
import io.gatehouse.platform.PublicUrls;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;


/** Orgs: created by the operator, read and changed by their admins. */
@Path("/v1/orgs")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Orgs")
@SecurityRequirement(name = "bearer")
public class OrgResource {

    private final PublicUrls urls;
    private final OrgService orgs;
    private final ConnectionService connections;
    private final ObjectMapper json;
    private final jakarta.validation.Validator validator;

    public OrgResource(OrgService orgs, ConnectionService connections, PublicUrls urls, ObjectMapper json,
                       jakarta.validation.Validator validator) {
        this.json = json;
        this.validator = validator;
        this.urls = urls;
        this.orgs = orgs;
        this.connections = connections;
    }

    @POST
    @Operation(summary = "Create an org (operator only)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "acme",
            value = "{\"code\": \"acme\", \"name\": \"Acme Inc.\", \"domains\": [\"acme.com\"]}")))
    public Response create(@NotNull(message = "a JSON body is required") @Valid
                           @ConvertGroup(from = Default.class, to = OrgRequest.Create.class) OrgRequest request) {
        OrgView org = orgs.create(request);
        return Response.created(urls.of("/v1/orgs/" + org.code())).entity(org).build();
    }

    @GET
    @Operation(summary = "List orgs (operator only)")
    public Page<OrgView> list(@QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        return orgs.list(after, limit);
    }

    @GET
    @Path("/{org}")
    @Operation(summary = "Read an org, by code or id")
    public OrgView get(@PathParam("org") String org) {
        return orgs.get(org);
    }

    @PATCH
    @Path("/{org}")
    @Operation(summary = "Change an org; the code never changes, domains are the operator's")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "enforce SSO",
            value = "{\"sso_enforced\": true, \"allowed_return_urls\": [\"https://app.acme.com/\"]}")))
    public OrgView update(@PathParam("org") String org,
                          @NotNull(message = "a JSON body is required") ObjectNode body) throws JsonProcessingException {
        // A merge patch, like the other PATCHes: nothing of an org can be removed, so a null is refused.
        OrgRequest request = MergePatch.read(json, validator, body, OrgRequest.class);
        MergePatch.refuseRemoving(MergePatch.removedFields(body), java.util.Set.of());
        return orgs.update(org, request);
    }

    @GET
    @Path("/{org}/sso")
    @Operation(summary = "The org's SSO at a glance: connections and every value to paste into the IdP")
    public SsoOverview sso(@PathParam("org") String org) {
        return connections.overview(org);
    }
}
