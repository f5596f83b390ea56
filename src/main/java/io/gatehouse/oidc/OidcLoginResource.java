package io.gatehouse.oidc;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.Delivery;
import io.gatehouse.login.TestSignIns;
import io.quarkus.oidc.IdToken;
import io.quarkus.oidc.OidcSession;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * {@code /v1/oidc/{org}/login}: quarkus-oidc runs the code flow here (and on {@code /v1/callback});
 * once it has verified the ID token, this hands the claims to login completion and drops
 * quarkus-oidc's own session cookie: Gatehouse's session is the only one.
 */
@Path("/v1/oidc")
@Tag(name = "Sign-in")
public class OidcLoginResource {

    /** A field: quarkus-oidc's {@code @IdToken} qualifier does not apply to constructor parameters. */
    @Inject
    @IdToken
    JsonWebToken idToken;

    private final OidcSession oidcSession;
    private final OidcLoginService logins;

    public OidcLoginResource(OidcSession oidcSession, OidcLoginService logins) {
        this.oidcSession = oidcSession;
        this.logins = logins;
    }

    @GET
    @Path("/{org}/login")
    @Operation(summary = "Sign in through the org's OIDC connection (Azure AD / Entra ID or generic OIDC)")
    public Response login(@PathParam("org") String org, @QueryParam("return_to") String returnTo,
                          @QueryParam("client_id") String clientId, @QueryParam("redirect_uri") String redirectUri,
                          @QueryParam("state") String state, @QueryParam("code_challenge") String codeChallenge,
                          @QueryParam("test") UUID test, @QueryParam("account") String account, @jakarta.ws.rs.CookieParam(TestSignIns.COOKIE) String testCookie,
                          @Context HttpServerRequest http) {
        Map<String, Object> claims = new HashMap<>();
        for (String name : idToken.getClaimNames()) {
            claims.put(name, plain(idToken.getClaim(name)));
        }
        String tenantId = oidcSession.getTenantId();
        // Gatehouse issues its own session; quarkus-oidc's cookie must not outlive this request.
        oidcSession.logout().await().indefinitely();
        Delivery delivery = test != null ? new Delivery.Test(test)
                : clientId != null ? new Delivery.Client(clientId, redirectUri, state, codeChallenge, account)
                : new Delivery.Browser(returnTo, account);
        return logins.complete(org, tenantId, claims, idToken.getRawToken(), delivery, testCookie, AttemptRecord.ClientInfo.of(http));
    }

    @GET
    @Path("/error")
    @Operation(summary = "Where the IdP's error answers land: logged, and explained")
    public Response error(@QueryParam("error") String error, @Context HttpServerRequest http) {
        return logins.idpError(error, AttemptRecord.ClientInfo.of(http));
    }

    /** JSON-P values from the token as plain Java values. */
    private static Object plain(Object value) {
        if (value instanceof jakarta.json.JsonString s) {
            return s.getString();
        }
        if (value instanceof jakarta.json.JsonArray array) {
            return array.stream().map(OidcLoginResource::plain).toList();
        }
        if (value instanceof jakarta.json.JsonNumber n) {
            return n.longValue();
        }
        if (value instanceof jakarta.json.JsonObject object) {
            Map<String, Object> plain = new HashMap<>();
            object.forEach((name, member) -> plain.put(name, plain(member)));
            return plain;
        }
        return value instanceof jakarta.json.JsonValue v ? v.toString() : value;
    }
}
