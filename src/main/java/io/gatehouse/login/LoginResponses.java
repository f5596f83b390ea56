package io.gatehouse.login;

import io.gatehouse.platform.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.util.UUID;
import java.util.function.Supplier;

/**
 * The one place that turns the end of a browser sign-in into its HTTP answer, whatever the protocol
 * (OIDC, SAML, the password form): a completed sign-in is a {@code 303} to where it goes, with the
 * session cookie when it went to a browser (a one-time code is in the redirect otherwise), never cached;
 * a refused one is the error page with the attempt id.
 */
@ApplicationScoped
public class LoginResponses {

    private final GatehouseConfig config;

    public LoginResponses(GatehouseConfig config) {
        this.config = config;
    }

    /** Runs login completion and answers with its outcome: the redirect, or the error page of its refusal. */
    public Response of(Supplier<CompletedLogin> completion) {
        try {
            return completed(completion.get());
        } catch (LoginRefusedException refused) {
            return refused(refused.reason(), refused.attemptId());
        }
    }

    /** A finished sign-in: the redirect, and the session cookie when it was delivered to a browser. */
    public Response completed(CompletedLogin login) {
        Response.ResponseBuilder response = Response.seeOther(login.redirect()).header("Cache-Control", "no-store");
        if (login.cookieValue() != null) {
            response.header(HttpHeaders.SET_COOKIE, SessionCookies.set(config, login.cookieValue(), login.cookieMaxAgeSeconds()));
        }
        return response.build();
    }

    /** A refused sign-in, logged as {@code attemptId}: the page that says why and who must act. */
    public Response refused(LoginFailure reason, UUID attemptId) {
        return ErrorPage.refused(reason, attemptId);
    }
}
