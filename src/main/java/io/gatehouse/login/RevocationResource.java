package io.gatehouse.login;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.token.Session;
import io.gatehouse.token.SessionService;
import io.gatehouse.token.TokenVerifier;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.Optional;

/**
 * RFC 7009 token revocation for the registered public clients (mobile apps, SPAs): a refresh token (or
 * an access token) ends its session, so neither works again. As the RFC asks, an unknown or invalid
 * token is answered {@code 200} too (a client cannot learn which tokens exist); an unknown client is
 * {@code 401 invalid_client}.
 */
@Path("/v1/revoke")
@Tag(name = "Tokens")
public class RevocationResource {

    private final SessionService sessions;
    private final TokenVerifier verifier;
    private final LoginAttemptService attempts;
    private final GatehouseConfig config;
    private final io.gatehouse.org.ConnectionService connections;

    public RevocationResource(SessionService sessions, TokenVerifier verifier, LoginAttemptService attempts, GatehouseConfig config,
                              io.gatehouse.org.ConnectionService connections) {
        this.connections = connections;
        this.sessions = sessions;
        this.verifier = verifier;
        this.attempts = attempts;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "RFC 7009: revoke a refresh token (or access token) of a registered client; its session ends")
    public Response revoke(@FormParam("token") String token, @FormParam("token_type_hint") String hint,
                           @FormParam("client_id") String clientId, @Context HttpServerRequest http) {
        if (clientId == null || !config.clients().containsKey(clientId)) {
            return Response.status(401).type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
                    .entity(Map.of("error", "invalid_client", "error_description", "client_id must be a registered client")).build();
        }
        if (token == null || token.isBlank()) {
            return Response.status(400).type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
                    .entity(Map.of("error", "invalid_request", "error_description", "token is required")).build();
        }
        Optional<Session> ended = "access_token".equals(hint) ? Optional.empty() : sessions.revokeByRefreshToken(token);
        if (ended.isEmpty()) {
            ended = verifier.verify(token).flatMap(v -> io.quarkus.narayana.jta.QuarkusTransaction.requiringNew()
                    .call(() -> sessions.findActive(v.sessionId())));
            ended.ifPresent(s -> sessions.revoke(s.getId()));
        }
        ended.ifPresent(s -> attempts.recordLogout(s.getAmr().equals("pwd") ? "password"
                        : connections.protocolOf(s.getOrgId(), s.getConnectionId()).orElse("oidc"),
                s.getOrgId(), s.getConnectionId(), s.getUserId(), "revoke", 1, null, Map.of("client_id", clientId),
                AttemptRecord.ClientInfo.of(http)));
        return Response.ok("{}").header("Cache-Control", "no-store").build();
    }
}
