package io.gatehouse.login;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** A user's password lockout ({@code gatehouse.password-login.*}), for the org's admins. */
@Path("/v1/orgs/{org}/users/{id}/lockout")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
public class LockoutResource {

    private final PasswordLockouts lockouts;

    public LockoutResource(PasswordLockouts lockouts) {
        this.lockouts = lockouts;
    }

    @GET
    @Operation(summary = "Whether the user's password sign-in is locked after repeated failures, and until when")
    public PasswordLockouts.LockoutView get(@PathParam("org") String org, @PathParam("id") UUID id) {
        return lockouts.of(org, id);
    }

    @DELETE
    @Operation(summary = "Ends the user's password lockout: earlier failed sign-ins stop counting")
    public PasswordLockouts.LockoutView end(@PathParam("org") String org, @PathParam("id") UUID id) {
        return lockouts.end(org, id);
    }
}
