package io.gatehouse.login;

import io.quarkus.security.Authenticated;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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

/** A person's own sessions. */
@Path("/v1/me/sessions")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sessions")
@SecurityRequirement(name = "bearer")
public class SessionsResource {

    private final PersonSessions sessions;

    public SessionsResource(PersonSessions sessions) {
        this.sessions = sessions;
    }

    @GET
    @Operation(summary = "Your sessions that have not ended; current: the one this request came with")
    public List<PersonSessions.SessionView> mine() {
        return sessions.mine();
    }

    @DELETE
    @Path("/{sid}")
    @Operation(summary = "End one of your sessions")
    public Response endMine(@PathParam("sid") UUID sid) {
        sessions.endMine(sid);
        return Response.noContent().build();
    }

    @DELETE
    @Operation(summary = "End all your sessions, this one included")
    public PersonSessions.Ended endAllMine() {
        return sessions.endAllMine();
    }
}
