package io.gatehouse.saml;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.Delivery;
import io.gatehouse.platform.ApiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** The SAML service provider of each org: entity ID / login URL, SP metadata, and the ACS. */
@Path("/v1/saml")
@Tag(name = "Sign-in")
public class SamlResource {

    private final SamlLoginService saml;
    private final SamlConnections connections;
    private final SingleLogout singleLogout;

    public SamlResource(SamlLoginService saml, SamlConnections connections, SingleLogout singleLogout) {
        this.saml = saml;
        this.connections = connections;
        this.singleLogout = singleLogout;
    }

    @GET
    @Path("/{org}")
    @Operation(summary = "The org's SP entity ID, which is also its SP-initiated login URL: browsers are sent to the IdP; "
            + "Accept: application/json gets the SP values instead")
    public Response entity(@PathParam("org") String org, @QueryParam("connection") UUID connection,
                           @QueryParam("return_to") String returnTo, @QueryParam("client_id") String clientId,
                           @QueryParam("redirect_uri") String redirectUri, @QueryParam("state") String state,
                           @QueryParam("code_challenge") String codeChallenge,
                           @QueryParam("code_challenge_method") String codeChallengeMethod, @QueryParam("test") UUID test,
                           @QueryParam("account") String account,
                           @Context HttpHeaders headers) {
        if (headers.getAcceptableMediaTypes().stream().findFirst().filter(MediaType.APPLICATION_JSON_TYPE::isCompatible).isPresent()
                && !headers.getAcceptableMediaTypes().get(0).isWildcardType()) {
            SamlConnection c = connections.connection(org, connection).orElseThrow(() -> ApiException.notFound("SAML connection of org " + org));
            SamlConnections.SpValues sp = connections.spValues(c);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("org", c.orgCode());
            body.put("connection_id", c.id());
            body.put("entity_id", sp.entityId());
            body.put("acs_urls", sp.acsUrls());
            body.put("metadata_url", sp.metadataUrl());
            body.put("slo_url", sp.sloUrl());
            body.put("login_url", sp.loginUrl());
            return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
        }
        Delivery delivery;
        if (test != null) {
            delivery = new Delivery.Test(test);
        } else if (clientId != null) {
            if (codeChallengeMethod != null && !"S256".equals(codeChallengeMethod)) {
                throw ApiException.invalidField("code_challenge_method", "must be S256");
            }
            delivery = new Delivery.Client(clientId, redirectUri, state, codeChallenge, account);
        } else {
            delivery = new Delivery.Browser(returnTo, account);
        }
        return saml.start(org, connection, delivery);
    }

    @GET
    @Path("/{org}/metadata")
    @Operation(summary = "The org's SP metadata: entity ID, ACS URLs, NameID formats, certificates")
    public Response metadata(@PathParam("org") String org, @QueryParam("connection") UUID connection) {
        SamlConnection c = connections.connection(org, connection).orElseThrow(() -> ApiException.notFound("SAML connection of org " + org));
        SamlConnections.SpValues sp = connections.spValues(c);
        String xml = ServiceProvider.metadata(sp.entityId(), sp.acsUrls(), sp.sloUrl(), c.spCertificate(), c.signRequests(),
                c.settings().nameIdFormat());
        return Response.ok(xml, "application/samlmetadata+xml").header("Content-Disposition",
                "inline; filename=\"gatehouse-" + c.orgCode() + "-sp-metadata.xml\"").build();
    }

    @POST
    @Path("/{org}/acs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Assertion Consumer Service (HTTP-POST binding), SP- and IdP-initiated")
    public Response acs(@PathParam("org") String org, @FormParam("SAMLResponse") String samlResponse,
                        @FormParam("RelayState") String relayState, @Context HttpHeaders headers, @Context HttpServerRequest http) {
        return saml.acs(org, samlResponse, relayState, cookies(headers), AttemptRecord.ClientInfo.of(http));
    }

    @POST
    @Path("/acs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "The same ACS with the org as a query parameter, for IdPs that want one fixed path")
    public Response acsQueryForm(@QueryParam("org") String org, @FormParam("SAMLResponse") String samlResponse,
                                 @FormParam("RelayState") String relayState, @Context HttpHeaders headers,
                                 @Context HttpServerRequest http) {
        return saml.acs(org, samlResponse, relayState, cookies(headers), AttemptRecord.ClientInfo.of(http));
    }

    @GET
    @Path("/{org}/slo")
    @Operation(summary = "Single Logout service, HTTP-Redirect binding: an IdP's LogoutRequest (answered with a signed "
            + "LogoutResponse), or its LogoutResponse to Gatehouse's")
    public Response sloRedirect(@PathParam("org") String org, @QueryParam("SAMLRequest") String request,
                                @QueryParam("SAMLResponse") String response, @QueryParam("RelayState") String relayState,
                                @QueryParam("SigAlg") String sigAlg, @QueryParam("Signature") String signature,
                                @Context HttpServerRequest http) {
        return slo(org, true, request, response, relayState, sigAlg, signature, http);
    }

    @POST
    @Path("/{org}/slo")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "Single Logout service, HTTP-POST binding (also IdPs' server-to-server LogoutRequests)")
    public Response sloPost(@PathParam("org") String org, @FormParam("SAMLRequest") String request,
                            @FormParam("SAMLResponse") String response, @FormParam("RelayState") String relayState,
                            @Context HttpServerRequest http) {
        return slo(org, false, request, response, relayState, null, null, http);
    }

    @GET
    @Path("/{org}/slo/send")
    @Operation(summary = "Carries a waiting HTTP-POST-bound LogoutRequest of Gatehouse's to the IdP (an auto-submitting form)")
    public Response sloSend(@PathParam("org") String org, @QueryParam("request") String request) {
        return singleLogout.send(org, request);
    }

    private Response slo(String org, boolean redirect, String request, String response, String relayState, String sigAlg,
                         String signature, HttpServerRequest http) {
        // Exactly one message: a request and a response together (or neither) is refused as malformed.
        String field = request != null && response == null ? "SAMLRequest" : response != null && request == null ? "SAMLResponse" : null;
        return singleLogout.receive(org, new LogoutMessages.Received(redirect, field == null ? "SAMLRequest" : field,
                field == null ? null : field.equals("SAMLRequest") ? request : response, relayState, sigAlg, signature,
                http.query()), AttemptRecord.ClientInfo.of(http));
    }

    private static Map<String, String> cookies(HttpHeaders headers) {
        Map<String, String> cookies = new LinkedHashMap<>();
        headers.getCookies().forEach((name, cookie) -> cookies.put(name, cookie.getValue()));
        return cookies;
    }
}
