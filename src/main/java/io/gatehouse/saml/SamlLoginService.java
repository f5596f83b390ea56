package io.gatehouse.saml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.Delivery;
import io.gatehouse.login.DeliveryPolicy;
import io.gatehouse.login.ErrorPage;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.login.LoginCompletion;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.login.LoginResponses;
import io.gatehouse.login.TestSignIns;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.token.Secrets;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.opensaml.security.x509.BasicX509Credential;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * SAML sign-in for an org: the SP-initiated start (an AuthnRequest whose ID is stored, RelayState an
 * opaque reference to it) and the ACS (the pure validator, then the request consumed and the assertion
 * ID recorded in one transaction, then login completion). The org comes from the URL only.
 */
@ApplicationScoped
public class SamlLoginService {

    /** The prefix of the cookie that binds an SP-initiated request to its browser; the request ID follows. */
    static final String BINDING_COOKIE = "gatehouse_saml_";

    private final SamlConnections connections;
    private final OrgService orgs;
    private final SamlStore store;
    private final LoginCompletion completion;
    private final LoginResponses responses;
    private final LoginAttemptService attempts;
    private final DeliveryPolicy deliveryPolicy;
    private final GatehouseConfig config;
    private final Clock clock;
    private final ObjectMapper json;
    private final SingleLogout singleLogout;
    private final TestSignIns tests;

    public SamlLoginService(SamlConnections connections, OrgService orgs, SamlStore store, LoginCompletion completion,
                            LoginResponses responses, LoginAttemptService attempts, DeliveryPolicy deliveryPolicy,
                            GatehouseConfig config, Clock clock, ObjectMapper json, SingleLogout singleLogout, TestSignIns tests) {
        this.tests = tests;
        this.singleLogout = singleLogout;
        this.connections = connections;
        this.orgs = orgs;
        this.store = store;
        this.completion = completion;
        this.responses = responses;
        this.attempts = attempts;
        this.deliveryPolicy = deliveryPolicy;
        this.config = config;
        this.clock = clock;
        this.json = json;
    }

    /** SP-initiated: an AuthnRequest to the IdP over its binding; a page when there is nothing to sign in through. */
    public Response start(String orgCode, UUID connectionId, Delivery delivery) {
        if (delivery instanceof Delivery.Client client) {
            deliveryPolicy.checkClient(client);
        }
        // A test sign-in from setup may run through a draft (or switched-off) connection: the one its test names.
        Optional<SamlConnection> found = connections.connection(orgCode, connectionId).filter(c -> c.usable()
                || (delivery instanceof Delivery.Test test && c.idp() != null && connectionId != null
                && tests.connectionOf(test.testId(), c.orgId()).filter(c.id()::equals).isPresent()));
        if (found.isEmpty()) {
            return ErrorPage.page(404, "Single sign-on not available",
                    "There is no SAML single sign-on for this organization. Check the address, or ask your administrator.", null);
        }
        SamlConnection connection = found.get();
        SamlConnections.SpValues sp = connections.spValues(connection);
        Instant now = clock.instant();
        String id = ServiceProvider.newId();
        String relayState = ServiceProvider.newRelayState();
        String deliveryJson = deliveryJson(delivery);
        // Only the browser that starts the sign-in may finish it (login CSRF): it alone holds this secret.
        String browserSecret = Secrets.newToken();
        QuarkusTransaction.requiringNew().run(() -> store.saveRequest(id, connection.orgId(), connection.id(), relayState,
                deliveryJson, Secrets.hash(browserSecret), now.plus(config.saml().requestLifetime())));
        String bindingCookie = bindingCookie(id, browserSecret, config.saml().requestLifetime().toSeconds());
        var request = new ServiceProvider.Request(id, sp.entityId(), sp.acsUrls().get(0), connection.idp().ssoUrl(),
                connection.settings().nameIdFormat(), now);
        BasicX509Credential key = connection.signRequests()
                ? new BasicX509Credential(connection.spCertificate(), connection.spPrivateKey()) : null;
        if (org.opensaml.saml.common.xml.SAMLConstants.SAML2_POST_BINDING_URI.equals(connection.idp().ssoBinding())) {
            return Response.fromResponse(postForm(connection.idp().ssoUrl(), "SAMLRequest", ServiceProvider.postValue(request, key), relayState))
                    .header(HttpHeaders.SET_COOKIE, bindingCookie).build();
        }
        return Response.seeOther(URI.create(ServiceProvider.redirectUrl(request, relayState, key)))
                .header("Cache-Control", "no-store").header(HttpHeaders.SET_COOKIE, bindingCookie).build();
    }

    /**
     * The ACS: validate, then sign in. Every refusal is logged with its reason and shown with the attempt id.
     *
     * @param cookies the browser's cookies by name: an answer to a request must come from the browser that
     *                holds that request's binding cookie
     */
    public Response acs(String orgCode, String samlResponse, String relayState, Map<String, String> cookies,
                        AttemptRecord.ClientInfo client) {
        // The org and its SAML connections, read together (one transaction, the org read once).
        Optional<OrgConnections> org = orgCode == null ? Optional.empty() : QuarkusTransaction.requiringNew().call(() ->
                orgs.find(orgCode).map(found -> new OrgConnections(found.getId(), connections.all(found))));
        if (org.isEmpty()) {
            return ErrorPage.page(404, "Unknown organization",
                    "This sign-in was sent to an organization Gatehouse does not know. Your administrator should check the ACS URL configured in the identity provider.", null);
        }
        UUID orgId = org.get().orgId();
        if (samlResponse == null || samlResponse.isBlank()) {
            return refused(orgId, null, LoginFailure.RESPONSE_MALFORMED, Map.of("problem", "no SAMLResponse in the POST"), client);
        }
        byte[] xml;
        try {
            xml = Base64.getMimeDecoder().decode(samlResponse.strip());
        } catch (IllegalArgumentException e) {
            return refused(orgId, null, LoginFailure.RESPONSE_MALFORMED, Map.of("problem", "SAMLResponse is not base64"), client);
        }
        List<SamlConnection> withIdp = org.get().connections().stream().filter(c -> c.idp() != null).toList();
        List<SamlConnection> usable = withIdp.stream().filter(SamlConnection::usable).toList();
        if (withIdp.isEmpty()) {
            return refused(orgId, null, LoginFailure.CONNECTION_UNAVAILABLE, Map.of("problem", "the org has no enabled SAML connection with IdP metadata"), client);
        }
        SamlResponseValidator.Peek peek = SamlResponseValidator.peek(xml);
        if (peek instanceof SamlResponseValidator.Refused malformed) {
            return refused(orgId, null, malformed.reason(), malformed.detail(), client);
        }
        SamlResponseValidator.Parsed parsed = (SamlResponseValidator.Parsed) peek;
        Optional<SamlStore.PendingRequest> claimed = parsed.inResponseTo() == null ? Optional.empty()
                : QuarkusTransaction.requiringNew().call(() -> store.pending(orgId, parsed.inResponseTo()));
        SamlConnection chosen = choose(withIdp, usable, parsed, claimed);
        if (chosen == null && usable.isEmpty()) {
            return refused(orgId, null, LoginFailure.CONNECTION_UNAVAILABLE, Map.of("problem", "the org has no enabled SAML connection with IdP metadata"), client);
        }
        if (chosen == null) {
            return refused(orgId, null, LoginFailure.ISSUER_MISMATCH, Map.of("problem",
                    "no SAML connection of this org has this IdP entity ID", "received", String.valueOf(parsed.issuer())), client);
        }
        SamlResponseValidator.Expectations expect = connections.expectations(chosen);
        Optional<SamlStore.PendingRequest> pending = claimed.filter(p -> p.connectionId().equals(chosen.id()));
        Instant now = clock.instant();
        SamlResponseValidator.Result result = SamlResponseValidator.validate(parsed, expect,
                pending.map(SamlStore.PendingRequest::id).orElse(null), now);
        if (result instanceof SamlResponseValidator.Refused refused && refused.reason() == LoginFailure.IN_RESPONSE_TO_UNKNOWN
                && pending.isEmpty() && parsed.inResponseTo() == null && refused.detail().containsKey("received")) {
            // The request is named only inside an encrypted assertion: found by the ID it names, then checked again.
            String named = refused.detail().get("received");
            pending = QuarkusTransaction.requiringNew().call(() -> store.pending(orgId, named))
                    .filter(p -> p.connectionId().equals(chosen.id()));
            if (pending.isPresent()) {
                result = SamlResponseValidator.validate(xml, expect, named, now);
            }
        }
        UUID connectionId = chosen.id();
        // A test sign-in's answer is reported on the setup page, refusals too, to the browser that started it.
        Optional<Delivery> asked = pending.map(p -> delivery(p.delivery()));
        Delivery.Test test = asked.filter(Delivery.Test.class::isInstance)
                .map(Delivery.Test.class::cast).filter(t -> tests.waitingFor(t.testId(), orgId, chosen.id(), cookies.get(TestSignIns.COOKIE)))
                .orElse(null);
        if (!chosen.usable() && test == null) {
            return refused(orgId, connectionId, LoginFailure.CONNECTION_UNAVAILABLE, Map.of("problem", "the connection is off"), client);
        }
        if (result instanceof SamlResponseValidator.Refused refused) {
            return refused(orgId, connectionId, refused.reason(), refused.detail(), client, test);
        }
        SamlResponseValidator.Verified verified = (SamlResponseValidator.Verified) result;
        if (verified.inResponseTo() != null) {
            String binding = pending.orElseThrow().browserBinding();
            String secret = cookies.get(BINDING_COOKIE + verified.inResponseTo());
            if (binding != null && (secret == null || !MessageDigest.isEqual(binding.getBytes(StandardCharsets.US_ASCII),
                    Secrets.hash(secret).getBytes(StandardCharsets.US_ASCII)))) {
                return refused(orgId, connectionId, LoginFailure.BROWSER_MISMATCH, Map.of("request", verified.inResponseTo(),
                        "problem", secret == null ? "the browser has no cookie of this request" : "the browser's cookie is of another sign-in"), client);
            }
        }
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
            return refused(orgId, connectionId, stateFailure, detail, client, test);
        }
        SamlClaims.Result mapped = SamlClaims.map(chosen, verified);
        if (mapped.failure() != null) {
            return refused(orgId, connectionId, mapped.failure(), Map.of(), client, test);
        }
        if (test != null) {
            LoginCompletion.Preview preview = completion.preview(mapped.identity(), client);
            tests.finish(test.testId(), mapped.identity(), sent(verified), preview, "saml");
            return Response.seeOther(URI.create("/setup/tests/" + test.testId())).header("Cache-Control", "no-store")
                    .header(HttpHeaders.SET_COOKIE, bindingCookie(verified.inResponseTo(), "", 0)).build();
        }
        Delivery delivery = verified.inResponseTo() != null ? asked.orElseThrow()
                : new Delivery.Browser(idpRelayState(relayState));
        // What a LogoutRequest for this session must name is kept (encrypted) with it, for Single Logout.
        Response answer = responses.of(() -> completion.complete(mapped.identity(), delivery, client, singleLogout.logoutHint(verified)));
        // The answered request's binding cookie is not needed again (other tabs' sign-ins keep theirs).
        return verified.inResponseTo() == null ? answer : Response.fromResponse(answer)
                .header(HttpHeaders.SET_COOKIE, bindingCookie(verified.inResponseTo(), "", 0)).build();
    }

    private record OrgConnections(UUID orgId, List<SamlConnection> connections) {
    }

    /** The cookie that binds request {@code id} to its browser (an empty value and no age remove it). */
    private static String bindingCookie(String id, String secret, long maxAgeSeconds) {
        return BINDING_COOKIE + id + "=" + secret + "; Path=/v1/saml; Max-Age=" + maxAgeSeconds + "; Secure; HttpOnly; SameSite=None";
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
    private static SamlConnection choose(List<SamlConnection> withIdp, List<SamlConnection> usable, SamlResponseValidator.Parsed claimed,
                                         Optional<SamlStore.PendingRequest> request) {
        Optional<SamlConnection> byRequest = request.flatMap(r -> withIdp.stream().filter(c -> c.id().equals(r.connectionId())).findFirst());
        if (byRequest.isPresent()) {
            return byRequest.get();
        }
        return usable.stream().filter(c -> c.idp().entityId().equals(claimed.issuer())).findFirst()
                .orElse(usable.size() == 1 ? usable.get(0) : null);
    }

    /** A refusal; of a test sign-in, reported on the setup page instead of the error page. */
    private Response refused(UUID orgId, UUID connectionId, LoginFailure reason, Map<String, String> detail,
                             AttemptRecord.ClientInfo client, Delivery.Test test) {
        if (test == null) {
            return refused(orgId, connectionId, reason, detail, client);
        }
        UUID attempt = attempts.recordTest(new AttemptRecord("saml", orgId, connectionId, null, reason, null, detail, client));
        tests.fail(test.testId(), reason, detail, attempt, "saml");
        return Response.seeOther(URI.create("/setup/tests/" + test.testId())).header("Cache-Control", "no-store").build();
    }

    /** What the IdP sent, as a test sign-in shows it. */
    private static Map<String, Object> sent(SamlResponseValidator.Verified verified) {
        Map<String, Object> sent = new LinkedHashMap<>();
        sent.put("name_id", verified.nameId());
        sent.put("name_id_format", verified.nameIdFormat());
        sent.put("session_index", verified.sessionIndex());
        sent.put("attributes", verified.attributes());
        return sent;
    }

    private Response refused(UUID orgId, UUID connectionId, LoginFailure reason, Map<String, String> detail,
                             AttemptRecord.ClientInfo client) {
        UUID attempt = attempts.record(new AttemptRecord("saml", orgId, connectionId, null, reason, null, detail, client));
        return responses.refused(reason, attempt);
    }

    /** IdP-initiated RelayState: used as return_to only where the allowlist says so (checked at completion). */
    private static String idpRelayState(String relayState) {
        return relayState != null && (relayState.startsWith("https://") || relayState.startsWith("http://")
                || (relayState.startsWith("/") && !relayState.startsWith("//"))) ? relayState : null;
    }

    private String deliveryJson(Delivery delivery) {
        Map<String, String> values = new LinkedHashMap<>();
        switch (delivery) {
            case Delivery.Browser browser -> {
                values.put("return_to", browser.returnTo());
                values.put("account", browser.account());
            }
            case Delivery.Client c -> {
                values.put("client_id", c.clientId());
                values.put("redirect_uri", c.redirectUri());
                values.put("state", c.state());
                values.put("code_challenge", c.codeChallenge());
                values.put("account", c.account());
            }
            case Delivery.Test test -> values.put("test", test.testId().toString());
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
            if (values.get("test") != null) {
                return new Delivery.Test(UUID.fromString((String) values.get("test")));
            }
            if (values.get("client_id") != null) {
                return new Delivery.Client((String) values.get("client_id"), (String) values.get("redirect_uri"),
                        (String) values.get("state"), (String) values.get("code_challenge"), (String) values.get("account"));
            }
            return new Delivery.Browser((String) values.get("return_to"), (String) values.get("account"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An auto-submitting form (HTTP-POST binding); a button when scripts are off. */
    static Response postForm(String action, String field, String value, String relayState) {
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(ServiceProvider.random(16));
        String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Continuing…</title></head>"
                + "<body><form method=\"post\" action=\"" + ErrorPage.escape(action) + "\">"
                + "<input type=\"hidden\" name=\"" + field + "\" value=\"" + ErrorPage.escape(value) + "\">"
                + (relayState == null ? "" : "<input type=\"hidden\" name=\"RelayState\" value=\"" + ErrorPage.escape(relayState) + "\">")
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

}
