package io.gatehouse.oidc;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.CompletedLogin;
import io.gatehouse.login.Delivery;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.LoginCompletion;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.login.LoginRefusedException;
import io.gatehouse.login.SessionCookies;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import io.gatehouse.platform.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The end of an OIDC code flow: the ID token quarkus-oidc verified → the person → login completion.
 * The connection comes from the flow's own tenant, and must belong to the org in the URL.
 */
@ApplicationScoped
public class OidcLoginService {

    private final ConnectionService connections;
    private final LoginCompletion completion;
    private final LoginAttemptService attempts;
    private final GatehouseConfig config;

    public OidcLoginService(ConnectionService connections, LoginCompletion completion, LoginAttemptService attempts,
                            GatehouseConfig config) {
        this.connections = connections;
        this.completion = completion;
        this.attempts = attempts;
        this.config = config;
    }

    public Response complete(String orgCode, String tenantId, Map<String, Object> idTokenClaims, Delivery delivery,
                             AttemptRecord.ClientInfo client) {
        UUID connectionId = OidcTenantConfigs.connectionId(tenantId);
        Optional<OidcConnection> connection = connectionId == null ? Optional.empty() : connections.oidcConnection(connectionId);
        if (connection.isEmpty() || !connection.get().orgCode().equals(orgCode)) {
            UUID attempt = attempts.record(new AttemptRecord("oidc", connection.map(OidcConnection::orgId).orElse(null),
                    connectionId, null, LoginFailure.ORG_MISMATCH, null, Map.of("expected_org", orgCode), client));
            return ErrorPage.refused(LoginFailure.ORG_MISMATCH, attempt);
        }
        OidcConnection c = connection.get();
        OidcClaims.Result mapped = OidcClaims.map(c, idTokenClaims);
        if (mapped.failure() != null) {
            Map<String, String> detail = mapped.failure() == LoginFailure.TENANT_MISMATCH
                    ? Map.of("expected_tid", c.settings().tenantId(), "received_tid", String.valueOf(idTokenClaims.get("tid")))
                    : Map.of();
            UUID attempt = attempts.record(new AttemptRecord("oidc", c.orgId(), c.id(), null, mapped.failure(), null, detail, client));
            return ErrorPage.refused(mapped.failure(), attempt);
        }
        try {
            CompletedLogin login = completion.complete(mapped.identity(), delivery, client);
            Response.ResponseBuilder response = Response.seeOther(login.redirect());
            if (login.cookieValue() != null) {
                response.header(HttpHeaders.SET_COOKIE, SessionCookies.set(config, login.cookieValue(), login.cookieMaxAgeSeconds()));
            }
            return response.build();
        } catch (LoginRefusedException refused) {
            return ErrorPage.refused(refused.reason(), refused.attemptId());
        }
    }

    /** The IdP answered {@code error=…}: logged, and a page that says so. */
    public Response idpError(String error, AttemptRecord.ClientInfo client) {
        String code = error == null ? "unknown" : error.replaceAll("[^A-Za-z0-9_.-]", "");
        UUID attempt = attempts.record(new AttemptRecord("oidc", null, null, null, LoginFailure.IDP_ERROR, null,
                Map.of("error", code.length() > 64 ? code.substring(0, 64) : code), client));
        return ErrorPage.refused(LoginFailure.IDP_ERROR, attempt);
    }
}
