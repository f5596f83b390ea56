package io.gatehouse.login;

import io.gatehouse.platform.Page;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The org's login attempt log. */
@Path("/v1/orgs/{org}/login-attempts")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Login attempts")
@SecurityRequirement(name = "bearer")
public class LoginAttemptResource {

    private final LoginAttemptService attempts;

    public LoginAttemptResource(LoginAttemptService attempts) {
        this.attempts = attempts;
    }

    @GET
    @Operation(summary = "Sign-in attempts of the org, newest first, with typed failure reasons")
    public Page<AttemptView> list(@PathParam("org") String org, @QueryParam("after") String after,
                                  @QueryParam("limit") Integer limit) {
        return attempts.list(org, after, limit);
    }
}
