package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How other services verify Gatehouse JWTs. */
@Path("/.well-known")
@Tag(name = "Tokens")
public class JwksResource {

    private final SigningKeys keys;
    private final GatehouseConfig config;

    public JwksResource(SigningKeys keys, GatehouseConfig config) {
        this.keys = keys;
        this.config = config;
    }

    @GET
    @Path("/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The public keys Gatehouse signs its JWTs with (active and recently retired)")
    public Map<String, Object> jwks() {
        return keys.jwks();
    }

    @GET
    @Path("/openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Discovery document for verifiers of Gatehouse tokens")
    public Map<String, Object> discovery() {
        String base = config.publicUrl();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", base);
        doc.put("jwks_uri", base + "/.well-known/jwks.json");
        doc.put("token_endpoint", base + "/v1/token");
        doc.put("userinfo_endpoint", base + "/v1/me");
        doc.put("end_session_endpoint", base + "/v1/logout");
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("id_token_signing_alg_values_supported", List.of(SigningKeys.ALGORITHM));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "jti", "sid", "org", "org_id",
                "roles", "email", "name", "preferred_username", "amr"));
        return doc;
    }
}
