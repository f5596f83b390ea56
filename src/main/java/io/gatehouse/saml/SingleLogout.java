package io.gatehouse.saml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.IdpLogout;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.SessionCookies;
import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.token.SessionService;
import io.gatehouse.user.User;
import io.gatehouse.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.LogoutRequest;
import org.opensaml.saml.saml2.core.LogoutResponse;
import org.opensaml.saml.saml2.core.SessionIndex;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.security.x509.BasicX509Credential;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * SAML Single Logout (SAML profiles 4.4) at {@code /v1/saml/{org}/slo}, in the HTTP-Redirect and HTTP-POST
 * bindings. SP-initiated: Gatehouse's logout sends the browser to the IdP with a signed LogoutRequest
 * naming the NameID and SessionIndex the sign-in carried; the IdP's LogoutResponse is verified on return.
 * IdP-initiated: the IdP's LogoutRequest is verified (signature by one of the connection's certificates,
 * issuer, destination, time, the org from the URL, never seen before on any replica), ends exactly the
 * matching sessions, and is answered with a signed LogoutResponse. Every one is a row in the attempt log.
 */
@ApplicationScoped
public class SingleLogout implements IdpLogout {

    private final SamlConnections connections;
    private final OrgService orgs;
    private final SamlStore store;
    private final SessionService sessions;
    private final UserService users;
    private final LoginAttemptService attempts;
    private final GatehouseConfig config;
    private final Clock clock;
    private final ObjectMapper json;

    public SingleLogout(SamlConnections connections, OrgService orgs, SamlStore store, SessionService sessions, UserService users,
                        LoginAttemptService attempts, GatehouseConfig config, Clock clock, ObjectMapper json) {
        this.connections = connections;
        this.orgs = orgs;
        this.store = store;
        this.sessions = sessions;
        this.users = users;
        this.attempts = attempts;
        this.config = config;
        this.clock = clock;
        this.json = json;
    }

    @Override
    public String protocol() {
        return "saml";
    }

    /** What a SAML session keeps for its logout: the NameID as the IdP sent it and the SessionIndex, as JSON. */
    String logoutHint(SamlResponseValidator.Verified verified) {
        try {
            return json.writeValueAsString(new ServiceProvider.Subject(verified.nameId(), verified.nameIdFormat(),
                    verified.nameQualifier(), verified.spNameQualifier(), verified.sessionIndex()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SP-initiated: a signed LogoutRequest for the session's NameID and SessionIndex, stored so the answer
     * can be matched; the URL the browser goes to (the IdP's, in the Redirect binding; a Gatehouse page
     * that posts it, in the POST binding). Empty when the IdP has no SLO endpoint.
     */
    @Override
    public Optional<URI> endSessionUrl(UUID orgId, UUID connectionId, String logoutHint) {
        Optional<SamlConnection> found = connections.byId(orgId, connectionId)
                .filter(SamlConnection::usable).filter(c -> c.idp().sloUrl() != null);
        if (found.isEmpty() || logoutHint == null) {
            return Optional.empty();
        }
        SamlConnection c = found.get();
        ServiceProvider.Subject subject;
        try {
            subject = json.readValue(logoutHint, ServiceProvider.Subject.class);
        } catch (JsonProcessingException notSaml) {
            return Optional.empty();
        }
        SamlConnections.SpValues sp = connections.spValues(c);
        Instant now = clock.instant();
        String id = ServiceProvider.newId();
        String relayState = ServiceProvider.newRelayState();
        LogoutRequest request = ServiceProvider.logoutRequest(id, sp.entityId(), c.idp().sloUrl(), subject, now,
                now.plus(config.saml().requestLifetime()));
        boolean post = SAMLConstants.SAML2_POST_BINDING_URI.equals(c.idp().logoutBinding());
        String message = post ? ServiceProvider.postValue(request, key(c)) : null;
        QuarkusTransaction.requiringNew().run(() -> store.saveLogoutRequest(id, orgId, c.id(), relayState, message,
                now.plus(config.saml().requestLifetime())));
        return Optional.of(post ? UriBuilder.fromUri(sp.sloUrl()).path("send").queryParam("request", id).build()
                : URI.create(ServiceProvider.redirectUrl(c.idp().sloUrl(), "SAMLRequest", request, relayState, key(c))));
    }

    /** {@code GET …/slo/send}: the browser carries a waiting HTTP-POST-bound LogoutRequest to the IdP. */
    public Response send(String orgCode, String requestId) {
        Optional<Org> org = org(orgCode);
        Optional<SamlStore.PendingLogout> pending = org.isEmpty() || requestId == null ? Optional.empty()
                : store.pendingLogout(org.get().getId(), requestId).filter(p -> p.message() != null);
        Optional<SamlConnection> connection = pending.flatMap(p -> connections.byId(org.get().getId(), p.connectionId()))
                .filter(SamlConnection::usable).filter(c -> c.idp().sloUrl() != null);
        if (connection.isEmpty()) {
            return signedOutPage();
        }
        return SamlLoginService.postForm(connection.get().idp().sloUrl(), "SAMLRequest", pending.get().message(),
                pending.get().relayState());
    }

    /** {@code /slo} in either binding: an IdP's LogoutRequest, or its LogoutResponse to one of Gatehouse's. */
    public Response receive(String orgCode, LogoutMessages.Received received, AttemptRecord.ClientInfo client) {
        Optional<Org> org = org(orgCode);
        if (org.isEmpty()) {
            return ErrorPage.page(404, "Unknown organization",
                    "This sign-out was sent to an organization Gatehouse does not know. Your administrator should check the "
                            + "Single Logout URL configured in the identity provider.", null);
        }
        UUID orgId = org.get().getId();
        String direction = "SAMLRequest".equals(received.field()) ? "idp" : "idp-response";
        SamlConnection connection = null;
        try {
            SignableSAMLObject message = LogoutMessages.decode(received);
            String issuer = LogoutMessages.claimedIssuer(message);
            connection = connections.all(orgCode).stream().filter(SamlConnection::usable)
                    .filter(c -> c.idp().entityId().equals(issuer)).findFirst()
                    .orElseThrow(() -> new LogoutMessages.Refused("issuer_unknown",
                            "no SAML connection of this org has the IdP entity ID " + issuer));
            SamlConnection c = connection;
            LogoutMessages.verify(message, received, new LogoutMessages.Expectations(c.idp().entityId(), c.idpCertificates(),
                    c.allowSha1(), connections.spValues(c).sloUrl(), config.saml().clockSkew(), config.saml().requestLifetime()),
                    clock.instant());
            return message instanceof LogoutRequest request ? idpInitiated(c, request, received.relayState(), client)
                    : answered(c, (LogoutResponse) message, client);
        } catch (LogoutMessages.Refused refused) {
            UUID attempt = attempts.recordLogout("saml", orgId, connection == null ? null : connection.id(), null,
                    direction, 0, refused.reason, Map.of("problem", refused.getMessage()), client);
            return ErrorPage.page(400, "Sign-out not accepted",
                    "Gatehouse could not accept this sign-out message from your identity provider. Your administrator can "
                            + "look it up in the sign-in log.", attempt);
        }
    }

    /** The IdP ends a session: never seen before, then the person's matching sessions end, then a signed answer. */
    private Response idpInitiated(SamlConnection c, LogoutRequest request, String relayState, AttemptRecord.ClientInfo client)
            throws LogoutMessages.Refused {
        Instant now = clock.instant();
        Instant keepUntil = (request.getNotOnOrAfter() != null ? request.getNotOnOrAfter() : request.getIssueInstant()
                .plus(config.saml().requestLifetime())).plus(config.saml().clockSkew());
        boolean first = QuarkusTransaction.requiringNew().call(() -> store.firstUse(c.orgId(), "logout:" + request.getID(),
                keepUntil.isAfter(now) ? keepUntil : now.plus(config.saml().clockSkew())));
        if (!first) {
            throw new LogoutMessages.Refused("replayed", "the LogoutRequest " + request.getID() + " was received before");
        }
        String nameId = request.getNameID().getValue().strip();
        Set<String> indexes = request.getSessionIndexes().stream().map(SessionIndex::getValue)
                .filter(v -> v != null && !v.isBlank()).collect(Collectors.toSet());
        UUID userId = QuarkusTransaction.requiringNew().call(() -> users.findLinked(c.orgId(), c.id(), nameId).map(User::getId).orElse(null));
        int ended = userId == null ? 0 : sessions.revokeByConnectionUser(c.orgId(), c.id(), userId, indexes);
        attempts.recordLogout("saml", c.orgId(), c.id(), userId, "idp", ended, null, Map.of("request", request.getID()), client);
        String destination = c.idp().logoutResponseUrl();
        if (destination == null) {
            return signedOutPage();
        }
        SamlConnections.SpValues sp = connections.spValues(c);
        LogoutResponse response = ServiceProvider.logoutResponse(ServiceProvider.newId(), sp.entityId(), destination, request.getID(),
                StatusCode.SUCCESS, now);
        Response answer = SAMLConstants.SAML2_POST_BINDING_URI.equals(c.idp().logoutBinding())
                ? SamlLoginService.postForm(destination, "SAMLResponse", ServiceProvider.postValue(response, key(c)), relayState)
                : Response.seeOther(URI.create(ServiceProvider.redirectUrl(destination, "SAMLResponse", response, relayState, key(c))))
                .header("Cache-Control", "no-store").build();
        // The browser that carries the IdP's sign-out is signed out of Gatehouse too.
        return Response.fromResponse(answer).header(HttpHeaders.SET_COOKIE, SessionCookies.clear(config)).build();
    }

    /** The IdP's answer to Gatehouse's LogoutRequest: it must answer one still waiting, of this connection. */
    private Response answered(SamlConnection c, LogoutResponse response, AttemptRecord.ClientInfo client) throws LogoutMessages.Refused {
        String inResponseTo = response.getInResponseTo();
        boolean ours = inResponseTo != null && store.pendingLogout(c.orgId(), inResponseTo).filter(p -> p.connectionId().equals(c.id())).isPresent()
                && QuarkusTransaction.requiringNew().call(() -> store.consume(c.orgId(), inResponseTo));
        if (!ours) {
            throw new LogoutMessages.Refused("in_response_to_unknown",
                    "the LogoutResponse answers " + inResponseTo + ", which is no waiting LogoutRequest of this connection");
        }
        String status = response.getStatus() == null || response.getStatus().getStatusCode() == null ? null
                : response.getStatus().getStatusCode().getValue();
        boolean success = StatusCode.SUCCESS.equals(status);
        attempts.recordLogout("saml", c.orgId(), c.id(), null, "idp-response", 0, success ? null : "idp_status",
                Map.of("request", inResponseTo, "status", String.valueOf(status)), client);
        return Response.seeOther(URI.create("/logout/done")).header("Cache-Control", "no-store").build();
    }

    private Optional<Org> org(String orgCode) {
        return orgCode == null ? Optional.empty() : QuarkusTransaction.requiringNew().call(() -> orgs.find(orgCode));
    }

    /** Logout messages are always signed (SAML profiles 4.4.3.1, 4.4.3.4), with the connection's SP key. */
    private static BasicX509Credential key(SamlConnection c) {
        return new BasicX509Credential(c.spCertificate(), c.spPrivateKey());
    }

    private static Response signedOutPage() {
        return ErrorPage.page(200, "Signed out", "You are signed out of Gatehouse.", null);
    }


}
