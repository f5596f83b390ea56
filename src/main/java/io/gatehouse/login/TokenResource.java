package io.gatehouse.login;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/** The OAuth token endpoint for registered clients (mobile, SPA). */
@Path("/v1/token")
@Tag(name = "Sign-in")
public class TokenResource {

    private final TokenExchange exchange;

    public TokenResource(TokenExchange exchange) {
        this.exchange = exchange;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "grant_type=authorization_code (code + PKCE verifier) or refresh_token (rotating)")
    public Response token(@FormParam("grant_type") String grantType, @FormParam("code") String code,
                          @FormParam("code_verifier") String verifier, @FormParam("redirect_uri") String redirectUri,
                          @FormParam("client_id") String clientId, @FormParam("refresh_token") String refreshToken) {
        TokenGrantResponse tokens = switch (grantType == null ? "" : grantType) {
            case "authorization_code" -> exchange.authorizationCode(code, verifier, redirectUri, clientId);
            case "refresh_token" -> exchange.refresh(refreshToken, clientId);
            default -> throw new OAuthError("unsupported_grant_type", "use authorization_code or refresh_token");
        };
        return noStore(Response.ok(tokens)).build();
    }

    @ServerExceptionMapper
    public Response oauthError(OAuthError e) {
        int status = e.error().equals("invalid_client") ? 401 : 400;
        return noStore(Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", e.error(), "error_description", e.getMessage()))).build();
    }

    private static Response.ResponseBuilder noStore(Response.ResponseBuilder response) {
        return response.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }
}
