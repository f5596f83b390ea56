package io.gatehouse.directory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.org.Org;
import io.gatehouse.user.Provisioning;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Locale;
import java.util.UUID;

/**
 * The SCIM 2.0 service provider of one org (RFC 7643 / 7644) at {@code /scim/v2/{org}}: what Entra ID
 * and Okta provisioning talk to, with one of the org's SCIM tokens as bearer. Every answer is
 * {@code application/scim+json}; every refusal a SCIM error body.
 */
@Path("/scim/v2/{org}")
@Produces({Scim.MEDIA_TYPE, "application/json"})
@Consumes({Scim.MEDIA_TYPE, "application/json"})
@Tag(name = "SCIM 2.0")
public class ScimResource {

    private final ScimTokens tokens;
    private final ScimService scim;

    public ScimResource(ScimTokens tokens, ScimService scim) {
        this.tokens = tokens;
        this.scim = scim;
    }

    private Org auth(String orgRef, String authorization) {
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).strip() : null;
        return tokens.authenticate(orgRef, bearer)
                .orElseThrow(() -> new Scim.Error(401, null, "A SCIM token of this organization is required."));
    }

    private static UUID id(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new Scim.Error(404, null, "No resource " + value + ".");
        }
    }

    private static boolean withoutMembers(String excludedAttributes) {
        return excludedAttributes != null && excludedAttributes.toLowerCase(Locale.ROOT).contains("members");
    }

    // ---- Discovery ---------------------------------------------------------------------------------

    @GET
    @Path("/ServiceProviderConfig")
    @Operation(summary = "What this SCIM service supports")
    public Response serviceProviderConfig(@PathParam("org") String org, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        auth(org, authorization);
        ObjectNode body = Scim.NODES.objectNode();
        body.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig");
        body.put("documentationUri", "https://github.com/gatehouse/gatehouse#directory-sync-scim-20");
        body.putObject("patch").put("supported", true);
        body.putObject("bulk").put("supported", false).put("maxOperations", 0).put("maxPayloadSize", 0);
        body.putObject("filter").put("supported", true).put("maxResults", ScimService.MAX_COUNT);
        body.putObject("changePassword").put("supported", false);
        body.putObject("sort").put("supported", false);
        body.putObject("etag").put("supported", false);
        ObjectNode scheme = body.putArray("authenticationSchemes").addObject();
        scheme.put("type", "oauthbearertoken").put("name", "OAuth Bearer Token")
                .put("description", "A SCIM token of the organization, made on /admin/directory or POST /v1/orgs/{org}/directory/tokens");
        return Scim.ok(200, body);
    }

    @GET
    @Path("/ResourceTypes")
    @Operation(summary = "The resource types: User (with the enterprise extension) and Group")
    public Response resourceTypes(@PathParam("org") String org, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Org o = auth(org, authorization);
        ArrayNode types = Scim.NODES.arrayNode();
        types.add(resourceType(o, "User", "/Users", Scim.USER_SCHEMA).set("schemaExtensions",
                Scim.NODES.arrayNode().add(Scim.NODES.objectNode().put("schema", Scim.ENTERPRISE_SCHEMA).put("required", false))));
        types.add(resourceType(o, "Group", "/Groups", Scim.GROUP_SCHEMA));
        java.util.List<ObjectNode> list = new java.util.ArrayList<>();
        types.forEach(t -> list.add((ObjectNode) t));
        return Scim.ok(200, Scim.list(list, list.size(), 1));
    }

    private ObjectNode resourceType(Org org, String name, String endpoint, String schema) {
        ObjectNode type = Scim.NODES.objectNode();
        type.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:ResourceType");
        type.put("id", name).put("name", name).put("endpoint", endpoint).put("schema", schema);
        type.putObject("meta").put("resourceType", "ResourceType").put("location", tokens.baseUrl(org) + "/ResourceTypes/" + name);
        return type;
    }

    @GET
    @Path("/Schemas")
    @Operation(summary = "The schemas of the attributes Gatehouse keeps")
    public Response schemas(@PathParam("org") String org, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        auth(org, authorization);
        java.util.List<ObjectNode> list = java.util.List.of(
                schema(Scim.USER_SCHEMA, "User", new String[][] {{"userName", "string", "true"}, {"externalId", "string", "false"},
                        {"displayName", "string", "false"}, {"active", "boolean", "false"}, {"emails", "complex", "false"},
                        {"name", "complex", "false"}, {"groups", "complex", "false"}}),
                schema(Scim.ENTERPRISE_SCHEMA, "EnterpriseUser", new String[][] {}),
                schema(Scim.GROUP_SCHEMA, "Group", new String[][] {{"displayName", "string", "true"},
                        {"externalId", "string", "false"}, {"members", "complex", "false"}}));
        return Scim.ok(200, Scim.list(list, list.size(), 1));
    }

    private static ObjectNode schema(String id, String name, String[][] attributes) {
        ObjectNode schema = Scim.NODES.objectNode();
        schema.putArray("schemas").add("urn:ietf:params:scim:schemas:core:2.0:Schema");
        schema.put("id", id).put("name", name);
        ArrayNode list = schema.putArray("attributes");
        for (String[] a : attributes) {
            list.addObject().put("name", a[0]).put("type", a[1]).put("multiValued", a[1].equals("complex") && !a[0].equals("name"))
                    .put("required", Boolean.parseBoolean(a[2])).put("mutability", a[0].equals("groups") ? "readOnly" : "readWrite")
                    .put("returned", "default").put("uniqueness", a[0].equals("userName") ? "server" : "none");
        }
        return schema;
    }

    // ---- Users -----------------------------------------------------------------------------------

    @POST
    @Path("/Users")
    @Operation(summary = "Provision a person (or adopt the org's existing one with the same identity)")
    public Response createUser(@PathParam("org") String org, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        Org o = auth(org, authorization);
        ObjectNode created = scim.createUser(o, Scim.body(body));
        return Response.status(201).type(Scim.MEDIA_TYPE).header("Location", created.path("meta").path("location").asText())
                .entity(created.toString()).build();
    }

    @GET
    @Path("/Users")
    @Operation(summary = "List provisioned people: filter on userName, externalId, emails…; startIndex/count paging")
    public Response listUsers(@PathParam("org") String org, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                              @QueryParam("filter") String filter, @QueryParam("startIndex") Integer startIndex,
                              @QueryParam("count") Integer count) {
        Org o = auth(org, authorization);
        return Scim.ok(200, scim.listUsers(o, filter, startIndex == null ? 1 : startIndex, count == null ? 100 : count));
    }

    @GET
    @Path("/Users/{id}")
    @Operation(summary = "One provisioned person")
    public Response getUser(@PathParam("org") String org, @PathParam("id") String id,
                            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Scim.ok(200, scim.getUser(auth(org, authorization), id(id)));
    }

    @PUT
    @Path("/Users/{id}")
    @Operation(summary = "Replace a provisioned person (Okta sends full replaces; active false deprovisions)")
    public Response replaceUser(@PathParam("org") String org, @PathParam("id") String id,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        Org o = auth(org, authorization);
        return Scim.ok(200, scim.replaceUser(o, id(id), Scim.body(body)));
    }

    @PATCH
    @Path("/Users/{id}")
    @Operation(summary = "Change a provisioned person (add / replace / remove, with or without path)")
    public Response patchUser(@PathParam("org") String org, @PathParam("id") String id,
                              @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        Org o = auth(org, authorization);
        return Scim.ok(200, scim.patchUser(o, id(id), Scim.patch(Scim.body(body))));
    }

    @DELETE
    @Path("/Users/{id}")
    @Operation(summary = "Deprovision a person: disabled and signed out everywhere at once, kept for audit")
    public Response deleteUser(@PathParam("org") String org, @PathParam("id") String id,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        scim.deleteUser(auth(org, authorization), id(id));
        return Response.noContent().build();
    }

    // ---- Groups ----------------------------------------------------------------------------------

    @POST
    @Path("/Groups")
    @Operation(summary = "Create a group (with members)")
    public Response createGroup(@PathParam("org") String org, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        Org o = auth(org, authorization);
        ObjectNode created = scim.createGroup(o, Scim.body(body));
        return Response.status(201).type(Scim.MEDIA_TYPE).header("Location", created.path("meta").path("location").asText())
                .entity(created.toString()).build();
    }

    @GET
    @Path("/Groups")
    @Operation(summary = "List groups: filter on displayName, externalId, members.value; startIndex/count paging")
    public Response listGroups(@PathParam("org") String org, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                               @QueryParam("filter") String filter, @QueryParam("startIndex") Integer startIndex,
                               @QueryParam("count") Integer count, @QueryParam("excludedAttributes") String excluded) {
        Org o = auth(org, authorization);
        return Scim.ok(200, scim.listGroups(o, filter, startIndex == null ? 1 : startIndex, count == null ? 100 : count,
                !withoutMembers(excluded)));
    }

    @GET
    @Path("/Groups/{id}")
    @Operation(summary = "One group")
    public Response getGroup(@PathParam("org") String org, @PathParam("id") String id,
                             @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                             @QueryParam("excludedAttributes") String excluded) {
        return Scim.ok(200, scim.getGroup(auth(org, authorization), id(id), !withoutMembers(excluded)));
    }

    @PUT
    @Path("/Groups/{id}")
    @Operation(summary = "Replace a group and its members")
    public Response replaceGroup(@PathParam("org") String org, @PathParam("id") String id,
                                 @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        Org o = auth(org, authorization);
        return Scim.ok(200, scim.replaceGroup(o, id(id), Scim.body(body)));
    }

    @PATCH
    @Path("/Groups/{id}")
    @Operation(summary = "Change a group: rename, add or remove members")
    public Response patchGroup(@PathParam("org") String org, @PathParam("id") String id,
                               @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, String body) {
        Org o = auth(org, authorization);
        return Scim.ok(200, scim.patchGroup(o, id(id), Scim.patch(Scim.body(body))));
    }

    @DELETE
    @Path("/Groups/{id}")
    @Operation(summary = "Delete a group: what its mappings gave its members is taken back")
    public Response deleteGroup(@PathParam("org") String org, @PathParam("id") String id,
                                @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        scim.deleteGroup(auth(org, authorization), id(id));
        return Response.noContent().build();
    }

    // ---- Errors ----------------------------------------------------------------------------------

    @ServerExceptionMapper
    public Response scimError(Scim.Error e) {
        Response response = Scim.error(e.status, e.scimType, e.getMessage());
        return e.status == 401 ? Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"scim\"").build()
                : response;
    }

    @ServerExceptionMapper
    public Response refused(Provisioning.Refused e) {
        return Scim.error(e.status(), e.scimType(), e.getMessage());
    }
}
