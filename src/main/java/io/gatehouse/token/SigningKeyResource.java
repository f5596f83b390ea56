package io.gatehouse.token;

import io.gatehouse.platform.Callers;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;

/** The operator's control over Gatehouse's signing keys. */
@Path("/v1/signing-keys")
@Authenticated
@Tag(name = "Tokens")
@SecurityRequirement(name = "bearer")
public class SigningKeyResource {

    private final SigningKeys keys;
    private final Callers callers;

    public SigningKeyResource(SigningKeys keys, Callers callers) {
        this.keys = keys;
        this.callers = callers;
    }

    @POST
    @Path("/rotate")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Retire the active signing key and start signing with a new one (operator only)")
    public Map<String, String> rotate() {
        callers.requireOperator();
        return Map.of("kid", keys.rotate());
    }
}
