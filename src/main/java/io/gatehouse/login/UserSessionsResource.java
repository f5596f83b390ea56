package io.gatehouse.login;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/** A person's sessions, for the org's admins. */
@Path("/v1/orgs/{org}/users/{id}/sessions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
@SecurityRequirement(name = "bearer")
public class UserSessionsResource {

    private final PersonSessions sessions;

    public UserSessionsResource(PersonSessions sessions) {
        this.sessions = sessions;
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Sign the person out everywhere: every session ends, on every replica within a second")
    public PersonSessions.Ended signOutEverywhere(@PathParam("org") String org, @PathParam("id") UUID id) {
        return sessions.signOutEverywhere(org, id);
    }
}
