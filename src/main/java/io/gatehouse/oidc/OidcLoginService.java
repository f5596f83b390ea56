package io.gatehouse.oidc;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.Delivery;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.LoginCompletion;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.login.LoginResponses;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import jakarta.enterprise.context.ApplicationScoped;
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
    private final LoginResponses responses;
    private final LoginAttemptService attempts;
    private final io.gatehouse.login.TestSignIns tests;

    public OidcLoginService(ConnectionService connections, LoginCompletion completion, LoginResponses responses,
                            LoginAttemptService attempts, io.gatehouse.login.TestSignIns tests) {
        this.tests = tests;
        this.connections = connections;
        this.completion = completion;
        this.responses = responses;
        this.attempts = attempts;
    }

    /** @param rawIdToken the IdP's ID token, kept (encrypted) with the new session for RP-initiated logout */
    public Response complete(String orgCode, String tenantId, Map<String, Object> idTokenClaims, String rawIdToken, Delivery delivery,
                             String testCookie, AttemptRecord.ClientInfo client) {
        UUID connectionId = OidcTenantConfigs.connectionId(tenantId);
        UUID orgId = OidcTenantConfigs.orgId(tenantId);
        Optional<OidcConnection> connection = connectionId == null || orgId == null ? Optional.empty()
                : connections.oidcConnection(orgId, connectionId, delivery instanceof Delivery.Test);
        if (connection.isEmpty() || !connection.get().orgCode().equals(orgCode)) {
            UUID attempt = attempts.record(new AttemptRecord("oidc", connection.map(OidcConnection::orgId).orElse(null),
                    connectionId, null, LoginFailure.ORG_MISMATCH, null, Map.of("expected_org", orgCode), client));
            return responses.refused(LoginFailure.ORG_MISMATCH, attempt);
        }
        OidcConnection c = connection.get();
        OidcClaims.Result mapped = OidcClaims.map(c, idTokenClaims);
        if (delivery instanceof Delivery.Test test) {
            return tested(c, test, testCookie, mapped, idTokenClaims, client);
        }
        if (mapped.failure() != null) {
            Map<String, String> detail = mapped.failure() == LoginFailure.TENANT_MISMATCH
                    ? Map.of("expected_tid", c.settings().tenantId(), "received_tid", String.valueOf(idTokenClaims.get("tid")))
                    : mapped.failure() == LoginFailure.ID_TOKEN_INVALID
                    ? Map.of("problem", OidcClaims.audienceProblem(idTokenClaims, c.settings().clientId()), "expected_azp", c.settings().clientId())
                    : Map.of();
            UUID attempt = attempts.record(new AttemptRecord("oidc", c.orgId(), c.id(), null, mapped.failure(), null, detail, client));
            return responses.refused(mapped.failure(), attempt);
        }
        // The ID token is kept (encrypted) with the session: RP-initiated logout sends it as id_token_hint.
        return responses.of(() -> completion.complete(mapped.identity(), delivery, client, rawIdToken));
    }

    /**
     * A test sign-in from setup: only the browser that started it can finish it; the report (what the IdP
     * sent, what a sign-in would do, or the refusal) is shown on the setup page; no user, no session.
     */
    private Response tested(OidcConnection c, Delivery.Test test, String testCookie, OidcClaims.Result mapped,
                            Map<String, Object> idTokenClaims, AttemptRecord.ClientInfo client) {
        if (!tests.waitingFor(test.testId(), c.orgId(), c.id(), testCookie)) {
            UUID attempt = attempts.record(new AttemptRecord("oidc", c.orgId(), c.id(), null, LoginFailure.BROWSER_MISMATCH, null,
                    Map.of("problem", "no test sign-in of this browser is waiting"), client));
            return responses.refused(LoginFailure.BROWSER_MISMATCH, attempt);
        }
        if (mapped.failure() != null) {
            UUID attempt = attempts.recordTest(new AttemptRecord("oidc", c.orgId(), c.id(), null, mapped.failure(), null, Map.of(), client));
            tests.fail(test.testId(), mapped.failure(), Map.of(), attempt, "oidc");
        } else {
            Map<String, Object> sent = new java.util.TreeMap<>(idTokenClaims);
            tests.finish(test.testId(), mapped.identity(), Map.of("claims", sent), completion.preview(mapped.identity(), client), "oidc");
        }
        return Response.seeOther(java.net.URI.create("/setup/tests/" + test.testId())).header("Cache-Control", "no-store").build();
    }

    /** The IdP answered {@code error=…}: logged, and a page that says so. */
    public Response idpError(String error, AttemptRecord.ClientInfo client) {
        String code = error == null ? "unknown" : error.replaceAll("[^A-Za-z0-9_.-]", "");
        UUID attempt = attempts.record(new AttemptRecord("oidc", null, null, null, LoginFailure.IDP_ERROR, null,
                Map.of("error", code.length() > 64 ? code.substring(0, 64) : code), client));
        return responses.refused(LoginFailure.IDP_ERROR, attempt);
    }
}
