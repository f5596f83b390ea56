package io.gatehouse.login;

import io.gatehouse.platform.GatehouseConfig;
import io.quarkus.security.Authenticated;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Switching the signed-in person's session to another of their accounts. */
@Path("/v1/me/account")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Sign-in")
@SecurityRequirement(name = "bearer")
public class AccountSwitchResource {

    private final AccountSwitch accounts;
    private final GatehouseConfig config;

    public AccountSwitchResource(AccountSwitch accounts, GatehouseConfig config) {
        this.accounts = accounts;
        this.config = config;
    }

    /** {@code {"org": "acme-eu"}} */
    public record SwitchRequest(String org) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Switch the session to another of the person's accounts: a new token with that account's org and roles "
            + "(and a new session cookie when the caller used the cookie)")
    public Response switchAccount(SwitchRequest request, @HeaderParam(HttpHeaders.COOKIE) String cookies) {
        AccountSwitch.Switched switched = accounts.to(request == null ? null : request.org());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", switched.accessToken().token());
        body.put("token_type", "Bearer");
        body.put("expires_in", switched.accessToken().expiresIn());
        body.put("org", switched.org());
        Response.ResponseBuilder answer = Response.ok(body).header("Cache-Control", "no-store");
        if (SessionCookies.value(cookies, config.cookie().name()) != null) {
            answer.header(HttpHeaders.SET_COOKIE, SessionCookies.set(config, switched.cookieToken().token(), switched.cookieToken().expiresIn()));
        }
        return answer.build();
    }
}
