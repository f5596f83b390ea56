package io.gatehouse.login;

import io.gatehouse.platform.ApiException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.Optional;

/** {@code /v1/sso/start}: from "username or company code" to the org's identity provider. */
@Path("/v1/sso/start")
@Tag(name = "Sign-in")
public class SsoStartResource {

    private static final String NOT_FOUND = "No single sign-on was found for that username, company code or email.";

    private final SsoStartService start;

    public SsoStartResource(SsoStartService start) {
        this.start = start;
    }

    @GET
    @Operation(summary = "Find the org by username, company code or email domain and go to its IdP (303, or JSON when asked)")
    public Response get(@QueryParam("login") String login, @QueryParam("return_to") String returnTo,
                        @QueryParam("client_id") String clientId, @QueryParam("redirect_uri") String redirectUri,
                        @QueryParam("state") String state, @QueryParam("code_challenge") String codeChallenge,
                        @QueryParam("code_challenge_method") String method, @HeaderParam(HttpHeaders.ACCEPT) String accept,
                        @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        Delivery delivery = clientId != null ? new Delivery.Client(clientId, redirectUri, state, codeChallenge) : new Delivery.Browser(returnTo);
        boolean json = accept != null && accept.contains(MediaType.APPLICATION_JSON) && !accept.contains("text/html");
        Optional<java.net.URI> target;
        try {
            target = start.start(login, delivery, method, new AttemptRecord.ClientInfo(null, userAgent));
        } catch (LoginRefusedException refused) {
            if (json) {
                throw ApiException.unprocessable(refused.reason().code().replace('_', '-'), ErrorPage.explain(refused.reason())
                        + " (attempt " + refused.attemptId() + ")");
            }
            return ErrorPage.refused(refused.reason(), refused.attemptId());
        }
        return target.map(url -> json ? Response.ok(Map.of("redirect_url", url.toString()), MediaType.APPLICATION_JSON_TYPE).build()
                        : Response.seeOther(url).build())
                .orElseGet(() -> {
                    if (json) {
                        throw ApiException.notFound("Single sign-on for that login");
                    }
                    return ErrorPage.page(404, "Single sign-on not found", NOT_FOUND, null);
                });
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "The same as GET, from the SSO form")
    public Response post(@FormParam("login") String login, @FormParam("return_to") String returnTo,
                         @FormParam("client_id") String clientId, @FormParam("redirect_uri") String redirectUri,
                         @FormParam("state") String state, @FormParam("code_challenge") String codeChallenge,
                         @FormParam("code_challenge_method") String method, @HeaderParam(HttpHeaders.ACCEPT) String accept,
                         @HeaderParam(HttpHeaders.USER_AGENT) String userAgent) {
        return get(login, returnTo, clientId, redirectUri, state, codeChallenge, method, accept, userAgent);
    }
}
