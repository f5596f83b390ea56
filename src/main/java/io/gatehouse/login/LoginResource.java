package io.gatehouse.login;

import io.quarkus.security.Authenticated;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Password sign-in and the signed-in user. */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-in")
public class LoginResource {

    private final PasswordLoginService passwordLogin;
    private final MeService me;

    public LoginResource(PasswordLoginService passwordLogin, MeService me) {
        this.passwordLogin = passwordLogin;
        this.me = me;
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign in a password user; refused when the org enforces SSO or the user is under SSO")
    @RequestBody(content = @Content(examples = @ExampleObject(name = "jane",
            value = "{\"username\": \"jane\", \"password\": \"correct horse battery\"}")))
    public TokenResponse login(@NotNull(message = "a JSON body is required") @Valid PasswordLoginRequest request,
                               @Context HttpServerRequest http) {
        return passwordLogin.login(request, AttemptRecord.ClientInfo.of(http));
    }

    @GET
    @Path("/me")
    @Authenticated
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "The signed-in user")
    public MeView me() {
        return me.current();
    }
}
