package io.gatehouse.oidc;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.UUID;

/**
 * When quarkus-oidc refuses a callback (state missing or foreign, code exchange refused, ID token
 * invalid), the attempt is logged with its org and connection, and the browser gets a readable page
 * with the attempt id instead of a bare 401.
 */
@ApplicationScoped
public class CallbackFailures {

    private final LoginAttemptService attempts;
    private final ConnectionService connections;

    public CallbackFailures(LoginAttemptService attempts, ConnectionService connections) {
        this.attempts = attempts;
        this.connections = connections;
    }

    void install(@Observes Router router) {
        router.route("/v1/callback").order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (!(failure instanceof AuthenticationCompletionException || failure instanceof AuthenticationFailedException)
                || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        UUID connectionId = OidcTenantConfigs.connectionId(ctx.get("tenant-id"));
        AttemptRecord.ClientInfo client = new AttemptRecord.ClientInfo(
                ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress(),
                ctx.request().getHeader(HttpHeaders.USER_AGENT));
        // Logging and reading the connection touch the database: off the event loop.
        ctx.vertx().executeBlocking(() -> {
            UUID orgId = connectionId == null ? null : connections.oidcConnection(connectionId).map(OidcConnection::orgId).orElse(null);
            return attempts.record(new AttemptRecord("oidc", orgId, connectionId, null, LoginFailure.CALLBACK_FAILED, null,
                    Map.of("stage", failure instanceof AuthenticationCompletionException ? "completion" : "authentication"), client));
        }).onComplete(result -> {
            Response page = ErrorPage.refused(LoginFailure.CALLBACK_FAILED, result.succeeded() ? result.result() : null);
            page.getStringHeaders().forEach((name, values) -> ctx.response().putHeader(name, values.getFirst()));
            ctx.response().setStatusCode(401).end((String) page.getEntity());
        });
    }
}
