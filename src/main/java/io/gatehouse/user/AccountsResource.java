package io.gatehouse.user;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Accounts that share one SSO configuration, and the memberships of an account. */
@Path("/v1/orgs/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Accounts")
@SecurityRequirement(name = "bearer")
public class AccountsResource {

    private final Accounts accounts;

    public AccountsResource(Accounts accounts) {
        this.accounts = accounts;
    }

    /** {@code {"org": "acme"}}: the parent. */
    public record OrgRef(String org) {
    }

    /** {@code {"user": "jane@acme.com", "roles": ["member"]}} */
    public record MemberRequest(String user, List<String> roles) {
    }

    @PUT
    @Path("/sso-parent")
    @Operation(summary = "Make this org an account of another (it signs in through that org's connections); the operator or an admin of both")
    public Map<String, Object> link(@PathParam("org") String org, OrgRef parent) {
        return Map.of("data", accounts.link(org, parent == null ? null : parent.org()));
    }

    @DELETE
    @Path("/sso-parent")
    @Operation(summary = "Unlink this account from its parent; its members are kept as its own people (keep_users_as: pending_sso, password or disabled)")
    public Map<String, Object> unlink(@PathParam("org") String org, @QueryParam("keep_users_as") String keepUsersAs) {
        return Map.of("kept", accounts.unlink(org, keepUsersAs));
    }

    @GET
    @Path("/accounts")
    @Operation(summary = "The accounts of this org's SSO configuration, the parent first; is_default: where new people land")
    public Map<String, Object> list(@PathParam("org") String org) {
        return Map.of("data", accounts.list(org));
    }

    @PUT
    @Path("/default-account")
    @Operation(summary = "Where just-in-time provisioning gives new people their membership (this org or one of its accounts)")
    public Map<String, Object> setDefault(@PathParam("org") String org, OrgRef account) {
        return Map.of("data", accounts.setDefault(org, account == null ? null : account.org()));
    }

    @GET
    @Path("/members")
    @Operation(summary = "The account's members from its SSO configuration, with their roles in it")
    public Map<String, Object> members(@PathParam("org") String org) {
        return Map.of("data", accounts.members(org));
    }

    @POST
    @Path("/members")
    @Operation(summary = "Add a person of the same SSO configuration (username or email) to this account with these roles")
    public Response add(@PathParam("org") String org, MemberRequest request) {
        return Response.status(201).entity(accounts.add(org, request == null ? null : request.user(), request == null ? null : request.roles())).build();
    }

    @PATCH
    @Path("/members/{user_id}")
    @Operation(summary = "Change a member's roles in this account")
    public Accounts.MemberView change(@PathParam("org") String org, @PathParam("user_id") UUID userId, MemberRequest request) {
        return accounts.change(org, userId, request == null ? null : request.roles());
    }

    @DELETE
    @Path("/members/{user_id}")
    @Operation(summary = "Remove a member from this account; their sessions in it end")
    public Response remove(@PathParam("org") String org, @PathParam("user_id") UUID userId) {
        accounts.remove(org, userId);
        return Response.noContent().build();
    }
}
