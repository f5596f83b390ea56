package io.gatehouse.saml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.CompletedLogin;
import io.gatehouse.login.Delivery;
import io.gatehouse.login.DeliveryPolicy;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.LoginCompletion;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.login.LoginRefusedException;
import io.gatehouse.login.SessionCookies;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.org.SamlConnection;
import io.gatehouse.org.SsoUrls;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.PublicUrls;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.opensaml.security.x509.BasicX509Credential;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/**
 * SAML sign-in for an org: the SP-initiated start (an AuthnRequest whose ID is stored, RelayState an
 * opaque reference to it) and the ACS (the pure validator, then the request consumed and the assertion
 * ID recorded in one transaction, then login completion). The org comes from the URL only.
 */
@ApplicationScoped
public class SamlLoginService {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConnectionService connections;
    private final OrgService orgs;
    private final SamlStore store;
    private final LoginCompletion completion;
    private final LoginAttemptService attempts;
    private final DeliveryPolicy deliveryPolicy;
    private final GatehouseConfig config;
    private final PublicUrls urls;
    private final Clock clock;
    private final ObjectMapper json;

    public SamlLoginService(ConnectionService connections, OrgService orgs, SamlStore store, LoginCompletion completion,
                            LoginAttemptService attempts, DeliveryPolicy deliveryPolicy, GatehouseConfig config,
                            PublicUrls urls, Clock clock, ObjectMapper json) {
        this.connections = connections;
        this.orgs = orgs;
        this.store = store;
        this.completion = completion;
        this.attempts = attempts;
        this.deliveryPolicy = deliveryPolicy;
        this.config = config;
        this.urls = urls;
        this.clock = clock;
        this.json = json;
    }

    /** The SP values of one connection: entity ID (= audience) and the ACS URLs it answers on (the first is sent). */
    public record SpValues(String entityId, List<String> acsUrls, String metadataUrl, String loginUrl) {
    }

    public SpValues spValues(SamlConnection connection) {
        SsoUrls org = SsoUrls.of(urls.base(), connection.orgCode());
        String entityId = connection.settings().spEntityId() != null ? connection.settings().spEntityId() : org.entityId();
        List<String> acs = connection.settings().acsUrl() != null ? List.of(connection.settings().acsUrl())
                : List.of(org.acsUrl(), org.acsUrlQueryForm());
        return new SpValues(entityId, acs, org.metadataUrl(), org.entityId());
    }

    /** The connection to use: the one asked for, else the org's default SAML connection, else its oldest. */
    public Optional<SamlConnection> connection(String orgCode, UUID connectionId) {
        List<SamlConnection> all = connections.samlConnections(orgCode);
        if (connectionId != null) {
            return all.stream().filter(c -> c.id().equals(connectionId)).findFirst();
        }
        return all.stream().filter(SamlConnection::isDefault).findFirst().or(() -> all.stream().findFirst());
    }

    /** SP-initiated: an AuthnRequest to the IdP over its binding; a page when there is nothing to sign in through. */
    public Response start(String orgCode, UUID connectionId, Delivery delivery) {
        if (delivery instanceof Delivery.Client client) {
            deliveryPolicy.checkClient(client);
        }
        Optional<SamlConnection> found = connection(orgCode, connectionId).filter(SamlConnection::usable);
        if (found.isEmpty()) {
            return ErrorPage.page(404, "Single sign-on not available",
                    "There is no SAML single sign-on for this organization. Check the address, or ask your administrator.", null);
        }
        SamlConnection connection = found.get();
        SpValues sp = spValues(connection);
        Instant now = clock.instant();
        String id = "_" + HexFormat.of().formatHex(random(20));
        String relayState = Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
        String deliveryJson = deliveryJson(delivery);
        QuarkusTransaction.requiringNew().run(() -> store.saveRequest(id, connection.orgId(), connection.id(), relayState,
                deliveryJson, now.plus(config.saml().requestLifetime())));
        var request = new ServiceProvider.Request(id, sp.entityId(), sp.acsUrls().get(0), connection.idp().ssoUrl(),
                connection.settings().nameIdFormat(), now);
        BasicX509Credential key = connection.signRequests()
                ? new BasicX509Credential(connection.spCertificate(), connection.spPrivateKey()) : null;
        if (org.opensaml.saml.common.xml.SAMLConstants.SAML2_POST_BINDING_URI.equals(connection.idp().ssoBinding())) {
            return postForm(connection.idp().ssoUrl(), "SAMLRequest", ServiceProvider.postValue(request, key), relayState);
        }
        return Response.seeOther(URI.create(ServiceProvider.redirectUrl(request, relayState, key)))
                .header("Cache-Control", "no-store").build();
    }

    /** The ACS: validate, then sign in. Every refusal is logged with its reason and shown with the attempt id. */
    public Response acs(String orgCode, String samlResponse, String relayState, AttemptRecord.ClientInfo client) {
        Optional<Org> org = orgCode == null ? Optional.empty() : QuarkusTransaction.requiringNew().call(() -> orgs.find(orgCode));
        if (org.isEmpty()) {
            return ErrorPage.page(404, "Unknown organization",
                    "This sign-in was sent to an organization Gatehouse does not know. Your administrator should check the ACS URL configured in the identity provider.", null);
        }
        UUID orgId = org.get().getId();
        if (samlResponse == null || samlResponse.isBlank()) {
            return refused(orgId, null, LoginFailure.RESPONSE_MALFORMED, Map.of("problem", "no SAMLResponse in the POST"), client);
        }
        byte[] xml;
        try {
            xml = Base64.getMimeDecoder().decode(samlResponse.strip());
        } catch (IllegalArgumentException e) {
            return refused(orgId, null, LoginFailure.RESPONSE_MALFORMED, Map.of("problem", "SAMLResponse is not base64"), client);
        }
        List<SamlConnection> usable = connections.samlConnections(orgCode).stream().filter(SamlConnection::usable).toList();
        if (usable.isEmpty()) {
            return refused(orgId, null, LoginFailure.CONNECTION_UNAVAILABLE, Map.of("problem", "the org has no enabled SAML connection with IdP metadata"), client);
        }
        AtomicReference<SamlConnection> chosen = new AtomicReference<>();
        AtomicReference<SamlStore.PendingRequest> pending = new AtomicReference<>();
        Instant now = clock.instant();
        SamlResponseValidator.Result result = SamlResponseValidator.validate(xml, unverified -> {
            SamlConnection c = choose(orgId, usable, unverified, pending);
            chosen.set(c);
            return c == null ? null : expectations(c);
        }, now, id -> {
            SamlStore.PendingRequest p = pending.get() != null && pending.get().id().equals(id) ? pending.get()
                    : store.pending(orgId, id).orElse(null);
            if (p == null || !p.connectionId().equals(chosen.get().id())) {
                return false;
            }
            pending.set(p);
            return true;
        });
        UUID connectionId = chosen.get() == null ? null : chosen.get().id();
        if (result instanceof SamlResponseValidator.Refused refused) {
            return refused(orgId, connectionId, refused.reason(), refused.detail(), client);
        }
        SamlResponseValidator.Verified verified = (SamlResponseValidator.Verified) result;
        LoginFailure stateFailure = null;
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (verified.inResponseTo() != null && !store.consume(orgId, verified.inResponseTo())) {
                    throw new StateRefused(LoginFailure.IN_RESPONSE_TO_UNKNOWN);
                }
                if (!store.firstUse(orgId, verified.assertionId(), verified.expiresAt())) {
                    throw new StateRefused(LoginFailure.ASSERTION_REPLAYED);
                }
            });
        } catch (StateRefused refused) {
            stateFailure = refused.reason;
        }
        if (stateFailure != null) {
            Map<String, String> detail = stateFailure == LoginFailure.ASSERTION_REPLAYED
                    ? Map.of("assertion_id", verified.assertionId())
                    : Map.of("received", verified.inResponseTo(), "problem", "the request was already answered");
            return refused(orgId, connectionId, stateFailure, detail, client);
        }
        SamlClaims.Result mapped = SamlClaims.map(chosen.get(), verified);
        if (mapped.failure() != null) {
            return refused(orgId, connectionId, mapped.failure(), Map.of(), client);
        }
        Delivery delivery = verified.inResponseTo() != null ? delivery(pending.get().delivery())
                : new Delivery.Browser(idpRelayState(relayState));
        try {
            CompletedLogin login = completion.complete(mapped.identity(), delivery, client);
            Response.ResponseBuilder response = Response.seeOther(login.redirect()).header("Cache-Control", "no-store");
            if (login.cookieValue() != null) {
                response.header(HttpHeaders.SET_COOKIE, SessionCookies.set(config, login.cookieValue(), login.cookieMaxAgeSeconds()));
            }
            return response.build();
        } catch (LoginRefusedException refused) {
            return ErrorPage.refused(refused.reason(), refused.attemptId());
        }
    }

    /** Rolls the request consumption back when the assertion turns out to be a replay (and vice versa). */
    private static final class StateRefused extends RuntimeException {
        final LoginFailure reason;

        StateRefused(LoginFailure reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * Which connection the response is checked against: the one whose pending request it names, else
     * the one whose IdP entity ID it names, else the org's only one (whose checks then say what is wrong).
     */
    private SamlConnection choose(UUID orgId, List<SamlConnection> usable, SamlResponseValidator.Unverified claimed,
                                  AtomicReference<SamlStore.PendingRequest> pending) {
        if (claimed.inResponseTo() != null) {
            Optional<SamlStore.PendingRequest> request = store.pending(orgId, claimed.inResponseTo());
            request.ifPresent(pending::set);
            Optional<SamlConnection> byRequest = request.flatMap(r -> usable.stream().filter(c -> c.id().equals(r.connectionId())).findFirst());
            if (byRequest.isPresent()) {
                return byRequest.get();
            }
        }
        return usable.stream().filter(c -> c.idp().entityId().equals(claimed.issuer())).findFirst()
                .orElse(usable.size() == 1 ? usable.get(0) : null);
    }

    SamlResponseValidator.Expectations expectations(SamlConnection c) {
        SpValues sp = spValues(c);
        return new SamlResponseValidator.Expectations(c.idp().entityId(), c.idpCertificates(), sp.entityId(),
                Set.copyOf(sp.acsUrls()), c.allowSha1(), c.allowIdpInitiated(), config.saml().clockSkew(),
                new BasicX509Credential(c.spCertificate(), c.spPrivateKey()));
    }

    private Response refused(UUID orgId, UUID connectionId, LoginFailure reason, Map<String, String> detail,
                             AttemptRecord.ClientInfo client) {
        UUID attempt = attempts.record(new AttemptRecord("saml", orgId, connectionId, null, reason, null, detail, client));
        return ErrorPage.refused(reason, attempt);
    }

    /** IdP-initiated RelayState: used as return_to only where the allowlist says so (checked at completion). */
    private static String idpRelayState(String relayState) {
        return relayState != null && (relayState.startsWith("https://") || relayState.startsWith("http://")
                || (relayState.startsWith("/") && !relayState.startsWith("//"))) ? relayState : null;
    }

    private String deliveryJson(Delivery delivery) {
        Map<String, String> values = new LinkedHashMap<>();
        switch (delivery) {
            case Delivery.Browser browser -> values.put("return_to", browser.returnTo());
            case Delivery.Client c -> {
                values.put("client_id", c.clientId());
                values.put("redirect_uri", c.redirectUri());
                values.put("state", c.state());
                values.put("code_challenge", c.codeChallenge());
            }
        }
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Delivery delivery(String deliveryJson) {
        try {
            Map<?, ?> values = json.readValue(deliveryJson, Map.class);
            if (values.get("client_id") != null) {
                return new Delivery.Client((String) values.get("client_id"), (String) values.get("redirect_uri"),
                        (String) values.get("state"), (String) values.get("code_challenge"));
            }
            return new Delivery.Browser((String) values.get("return_to"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An auto-submitting form (HTTP-POST binding); a button when scripts are off. */
    static Response postForm(String action, String field, String value, String relayState) {
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(random(16));
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Signing in…</title></head>"
                + "<body><form method=\"post\" action=\"" + escape(action) + "\">"
                + "<input type=\"hidden\" name=\"" + field + "\" value=\"" + escape(value) + "\">"
                + "<input type=\"hidden\" name=\"RelayState\" value=\"" + escape(relayState) + "\">"
                + "<noscript><button type=\"submit\">Continue to your identity provider</button></noscript></form>"
                + "<script nonce=\"" + nonce + "\">document.forms[0].submit()</script></body></html>";
        return Response.ok(html, MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .header("Cache-Control", "no-store")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'nonce-" + nonce + "'; form-action "
                        + formAction(action) + "; frame-ancestors 'none'")
                .header("Referrer-Policy", "no-referrer").build();
    }

    private static String formAction(String action) {
        URI uri = URI.create(action);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }
}
