package io.gatehouse.oidc;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
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
        // A callback without any flow state cookie belongs to no sign-in of this browser: it cannot succeed.
        router.route("/v1/callback").order(Integer.MIN_VALUE).handler(ctx -> {
            boolean started = ctx.request().cookies().stream().anyMatch(c -> c.getName().startsWith("q_auth"));
            if (started) {
                ctx.next();
            } else {
                refuse(ctx, LoginFailure.STATE_INVALID, Map.of("problem", "no sign-in was started in this browser"), null, null);
            }
        });
        router.route("/v1/callback").order(Integer.MIN_VALUE).failureHandler(this::handle);
        router.routeWithRegex("/v1/oidc/[^/]+/login").order(Integer.MIN_VALUE).failureHandler(this::handle);
    }

    /** Whether quarkus-oidc could not reach the IdP at all (its discovery, keys or token endpoint). */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.quarkus.oidc.OIDCException && t.getMessage() != null
                    && t.getMessage().contains("OIDC Server is not available")) {
                return true;
            }
            if (t instanceof java.net.ConnectException || t instanceof io.netty.handler.proxy.ProxyConnectException) {
                return true;
            }
        }
        return false;
    }

    /** By what in the cause chain failed: the ID token's verification, the code exchange, else the state. */
    static LoginFailure reasonOf(Throwable failure) {
        if (mixUp(failure) != null) {
            return LoginFailure.ISSUER_MISMATCH;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            // quarkus-oidc 3.34 refuses an unsigned (alg: none) ID token with only this message, no jose4j cause.
            if (t instanceof org.jose4j.jwt.consumer.InvalidJwtException
                    || (t.getMessage() != null && t.getMessage().startsWith("ID token verification has failed"))) {
                return LoginFailure.ID_TOKEN_INVALID;
            }
            if (t instanceof io.quarkus.oidc.OIDCException) {
                return LoginFailure.CODE_EXCHANGE_FAILED;
            }
        }
        return LoginFailure.STATE_INVALID;
    }

    private void handle(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure != null && io.gatehouse.platform.DatabaseOutage.causedBy(failure)) {
            ctx.next(); // answered 503 by DatabaseOutage
            return;
        }
        if (unreachable(failure) && !ctx.response().headWritten()) {
            String tenantId = ctx.get("tenant-id");
            refuse(ctx, LoginFailure.IDP_UNREACHABLE, Map.of(), OidcTenantConfigs.orgId(tenantId), OidcTenantConfigs.connectionId(tenantId));
            return;
        }
        if (!(failure instanceof AuthenticationCompletionException || failure instanceof AuthenticationFailedException
                || mixUp(failure) != null) || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        String tenantId = ctx.get("tenant-id");
        IssuerIdentification.MixUp mixUp = mixUp(failure);
        Map<String, String> detail = mixUp == null ? Map.of() : Map.of("problem", mixUp.getMessage(),
                "expected", String.valueOf(mixUp.expected), "received", mixUp.received == null ? "(none)" : mixUp.received);
        refuse(ctx, reasonOf(failure), detail, OidcTenantConfigs.orgId(tenantId), OidcTenantConfigs.connectionId(tenantId));
    }

    private static IssuerIdentification.MixUp mixUp(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IssuerIdentification.MixUp mixUp) {
                return mixUp;
            }
        }
        return null;
    }

    private void refuse(RoutingContext ctx, LoginFailure reason, Map<String, String> detail, UUID orgId, UUID connectionId) {
        AttemptRecord.ClientInfo client = AttemptRecord.ClientInfo.of(ctx.request());
        // Logging and reading the connection touch the database: off the event loop.
        ctx.vertx().executeBlocking(() -> {
            UUID knownOrg = connectionId == null || orgId == null ? null
                    : connections.oidcConnection(orgId, connectionId).map(OidcConnection::orgId).orElse(null);
            return attempts.record(new AttemptRecord("oidc", knownOrg, connectionId, null, reason, null, detail, client));
        }).onComplete(result -> {
            if (result.failed() && io.gatehouse.platform.DatabaseOutage.causedBy(result.cause())) {
                ctx.fail(result.cause()); // answered 503 by DatabaseOutage
                return;
            }
            Response page = ErrorPage.refused(reason, result.succeeded() ? result.result() : null);
            page.getStringHeaders().forEach((name, values) -> ctx.response().putHeader(name, values.getFirst()));
            ctx.response().setStatusCode(reason == LoginFailure.IDP_UNREACHABLE ? 502 : 401).end((String) page.getEntity());
        });
    }
}
