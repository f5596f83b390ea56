package io.gatehouse.user;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gatehouse.platform.MergePatch;
import io.gatehouse.platform.Page;
import jakarta.validation.Validator;
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
import jakarta.ws.rs.PUT;
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

import java.util.UUID;

/** An org's users. */
@Path("/v1/orgs/{org}/users")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
public class UserResource {

    private final PublicUrls urls;
    private final UserService users;
    private final ObjectMapper json;
    private final Validator validator;

    public UserResource(UserService users, PublicUrls urls, ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
        this.urls = urls;
        this.users = users;
    }

    @GET
    @Operation(summary = "List users by username; q searches username, email and name")
    public Page<UserView> list(@PathParam("org") String org, @QueryParam("q") String query,
                               @QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        return users.list(org, query, after, limit);
    }

    @POST
    @Operation(summary = "Create a password user")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "admin",
            value = "{\"username\": \"jane\", \"email\": \"jane@acme.com\", \"password\": \"correct horse battery\", \"roles\": [\"admin\"]}")))
    public Response create(@PathParam("org") String org, @NotNull(message = "a JSON body is required") @Valid
                           @ConvertGroup(from = Default.class, to = UserRequest.Create.class) UserRequest request) {
        UserView user = users.createPasswordUser(org, request);
        return Response.created(urls.of("/v1/orgs/" + org + "/users/" + user.id())).entity(user).build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Read a user")
    public UserView get(@PathParam("org") String org, @PathParam("id") UUID id) {
        return users.get(org, id);
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change a user's roles, status, email or display name (a merge patch: email or display_name "
            + "given as null is removed)")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "elevate", value = "{\"roles\": [\"admin\"]}")))
    public UserView update(@PathParam("org") String org, @PathParam("id") UUID id,
                           @NotNull(message = "a JSON body is required") ObjectNode body) throws JsonProcessingException {
        return users.update(org, id, MergePatch.read(json, validator, body, UserRequest.class), MergePatch.removedFields(body));
    }

    /** {@code {"password": "…"}} */
    public record PasswordRequest(@NotNull(message = "is required")
                                  @jakarta.validation.constraints.Size(min = 12, max = 256, message = "must be 12 to 256 characters")
                                  String password) {
    }

    @PUT
    @Path("/{id}/password")
    @Operation(summary = "Set a password user's password (an admin's reset, or the first one of a person kept as a password user "
            + "when their account left a shared SSO configuration); their sessions end")
    public Response setPassword(@PathParam("org") String org, @PathParam("id") UUID id,
                                @NotNull(message = "a JSON body is required") @jakarta.validation.Valid PasswordRequest request) {
        users.setPassword(org, id, request.password());
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/convert-to-sso")
    @Operation(summary = "Move one password user under SSO (their password stops working)")
    public UserView convert(@PathParam("org") String org, @PathParam("id") UUID id) {
        return users.convertToSso(org, id);
    }

    @POST
    @Path("/convert-to-sso")
    @Operation(summary = "Move every password user of the org under SSO")
    public ConversionResult convertAll(@PathParam("org") String org) {
        return users.convertAllToSso(org);
    }
}
