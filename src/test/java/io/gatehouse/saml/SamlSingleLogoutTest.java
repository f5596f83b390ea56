package io.gatehouse.saml;

import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestSamlIdp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.LogoutRequest;
import org.opensaml.saml.saml2.core.LogoutResponse;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.SPSSODescriptor;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.crypto.XMLSigningUtil;
import org.opensaml.xmlsec.signature.support.SignatureValidator;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAML Single Logout over HTTP (SAML profiles 4.4): an IdP of the test signs LogoutRequests and
 * LogoutResponses in both bindings; Gatehouse's own messages are checked with its SP certificate.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SamlSingleLogoutTest {

    private static final String PUBLIC = "http://localhost:8080";
    private static final String SSO = "https://idp.example.org/sso";
    private static final String IDP_SLO = "https://idp.example.org/slo";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final TestSamlIdp idp = new TestSamlIdp("https://idp.example.org/" + Api.newCode("l"));

    private String org(String sloBinding) {
        String org = Api.createOrg("slo");
        operator().body(Map.of("type", "saml", "metadata_xml", idp.metadata(SSO, IDP_SLO, sloBinding)))
                .post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        return org;
    }

    private static String slo(String org) {
        return PUBLIC + "/v1/saml/" + org + "/slo";
    }

    /** An IdP-initiated sign-in of {@code nameId} with this SessionIndex; returns the session cookie. */
    private String signIn(String org, String nameId, String sessionIndex) {
        String acs = PUBLIC + "/v1/saml/" + org + "/acs";
        String response = idp.response(PUBLIC + "/v1/saml/" + org, acs).with(r -> {
            r.nameId = nameId;
            r.sessionIndex = sessionIndex;
        }).base64();
        String cookie = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("SAMLResponse", response).post("/v1/saml/" + org + "/acs").then().statusCode(303)
                .extract().cookie("gatehouse_session");
        assertNotNull(cookie);
        return cookie;
    }

    private static int verify(String cookie) {
        return given().cookie("gatehouse_session", cookie).get("/v1/auth/verify").then().extract().statusCode();
    }

    private LogoutRequest request(String destination, String nameId, String sessionIndex, Instant now) {
        return ServiceProvider.logoutRequest("_lr" + UUID.randomUUID().toString().replace("-", ""), idp.entityId, destination,
                new ServiceProvider.Subject(nameId, "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", null, null, sessionIndex),
                now, now.plusSeconds(300));
    }

    /** The IdP's browser hop to Gatehouse in the HTTP-Redirect binding, signed with {@code key} (null: unsigned). */
    private static HttpResponse<String> redirect(String destinationUrl, String field, SignableSAMLObject message, String relayState,
                                                 BasicX509Credential key) throws Exception {
        String url = ServiceProvider.redirectUrl(destinationUrl, field, message, relayState, key);
        return get(url);
    }

    private static HttpResponse<String> get(String publicUrl) throws Exception {
        String local = publicUrl.replace(PUBLIC, "http://localhost:" + RestAssured.port);
        return HTTP.send(HttpRequest.newBuilder(URI.create(local)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String org, String field, String value) throws Exception {
        String form = field + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + "&RelayState=rs-1";
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/saml/" + org + "/slo"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate spCertificate(String org) throws Exception {
        return Certificates.parse(operator().get("/v1/orgs/" + org + "/connections").then().extract().<String>path("[0].sp_certificate"));
    }

    private static Map<String, String> query(String location) {
        return TestSamlIdp.query(location);
    }

    /** A Redirect-binding message Gatehouse sent: its query signature checked with the SP certificate, then parsed. */
    private static SignableSAMLObject signedByGatehouse(String location, String field, X509Certificate sp) throws Exception {
        Map<String, String> q = query(location);
        assertEquals(ServiceProvider.SIGNATURE_ALGORITHM, q.get("SigAlg"));
        var received = new LogoutMessages.Received(true, field, q.get(field), q.get("RelayState"), q.get("SigAlg"),
                q.get("Signature"), URI.create(location).getRawQuery());
        assertTrue(XMLSigningUtil.verifyWithURI(new BasicX509Credential(sp), q.get("SigAlg"),
                Base64.getDecoder().decode(q.get("Signature")),
                LogoutMessages.signedOctets(received).getBytes(StandardCharsets.UTF_8)), "signed with the SP key");
        return LogoutMessages.decode(received);
    }

    private static List<Object> logouts(String org, String column) {
        return Db.column("select " + column + " from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.kind = 'logout' order by a.seq", org);
    }

    @Test
    void anIdpLogoutRequestEndsExactlyTheSessionsItNamesAndIsAnsweredSigned() throws Exception {
        String org = org(SAMLConstants.SAML2_REDIRECT_BINDING_URI);
        String first = signIn(org, "jane@acme.example", "_s1");
        String second = signIn(org, "jane@acme.example", "_s2");
        String other = signIn(org, "john@acme.example", "_s1");

        LogoutRequest request = request(slo(org), "jane@acme.example", "_s1", Instant.now());
        HttpResponse<String> answer = redirect(slo(org), "SAMLRequest", request, "relay-1", idp.credential);
        assertEquals(303, answer.statusCode(), answer.body());
        assertTrue(answer.headers().allValues("Set-Cookie").stream().anyMatch(c -> c.startsWith("gatehouse_session=;")),
                "the browser carrying the sign-out loses its Gatehouse cookie");
        String location = answer.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(IDP_SLO + "?SAMLResponse="), location);
        assertEquals("relay-1", query(location).get("RelayState"));
        LogoutResponse response = (LogoutResponse) signedByGatehouse(location, "SAMLResponse", spCertificate(org));
        assertEquals(request.getID(), response.getInResponseTo());
        assertEquals(StatusCode.SUCCESS, response.getStatus().getStatusCode().getValue());
        assertEquals(IDP_SLO, response.getDestination());
        assertEquals(PUBLIC + "/v1/saml/" + org, response.getIssuer().getValue());

        assertEquals(401, verify(first), "the session the IdP named ended");
        assertEquals(200, verify(second), "her other IdP session goes on");
        assertEquals(200, verify(other), "another person's session with the same SessionIndex goes on");
        assertEquals(List.of("idp"), Db.column("select detail->>'direction' from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.kind = 'logout'", org));
        assertEquals(List.of("1"), logouts(org, "detail->>'sessions_ended'"));

        // Without a SessionIndex, in the POST binding: every session of hers through this connection ends.
        String third = signIn(org, "jane@acme.example", "_s3");
        LogoutRequest all = request(slo(org), "jane@acme.example", null, Instant.now());
        HttpResponse<String> posted = post(org, "SAMLRequest", ServiceProvider.postValue(all, idp.credential));
        assertEquals(303, posted.statusCode(), posted.body());
        assertEquals(401, verify(second));
        assertEquals(401, verify(third));
        assertEquals(200, verify(other));
        assertEquals(List.of("1", "2"), logouts(org, "detail->>'sessions_ended'"));
    }

    @Test
    void logoutRequestsWrongInOneWayAreRefusedAndEndNothing() throws Exception {
        String org = org(SAMLConstants.SAML2_REDIRECT_BINDING_URI);
        String cookie = signIn(org, "jane@acme.example", "_s1");
        // The same IdP also serves another org: its request to that org must not reach this one.
        String neighbour = org(SAMLConstants.SAML2_REDIRECT_BINDING_URI);
        Instant now = Instant.now();
        BasicX509Credential stranger = new TestSamlIdp(idp.entityId, TestSamlIdp.newKey()).credential;
        LogoutRequest replayed = request(slo(org), "jane@acme.example", "_s0", now);
        assertEquals(303, redirect(slo(org), "SAMLRequest", replayed, null, idp.credential).statusCode(), "a first use, ending nothing");

        Map<String, java.util.concurrent.Callable<HttpResponse<String>>> wrong = new LinkedHashMap<>();
        wrong.put("signature_invalid", () -> redirect(slo(org), "SAMLRequest", request(slo(org), "jane@acme.example", "_s1", now), null, stranger));
        wrong.put("unsigned", () -> redirect(slo(org), "SAMLRequest", request(slo(org), "jane@acme.example", "_s1", now), null, null));
        wrong.put("destination_mismatch", () -> redirect(slo(org), "SAMLRequest", request(slo(neighbour), "jane@acme.example", "_s1", now), null, idp.credential));
        wrong.put("expired", () -> redirect(slo(org), "SAMLRequest", request(slo(org), "jane@acme.example", "_s1", now.minus(Duration.ofHours(1))), null, idp.credential));
        wrong.put("replayed", () -> redirect(slo(org), "SAMLRequest", replayed, null, idp.credential));
        wrong.put("issuer_unknown", () -> {
            LogoutRequest r = request(slo(org), "jane@acme.example", "_s1", now);
            r.getIssuer().setValue("https://another-idp.example.org");
            return redirect(slo(org), "SAMLRequest", r, null, idp.credential);
        });
        wrong.put("too_large", () -> get(slo(org) + "?SAMLRequest=" + URLEncoder.encode(bomb(2_000_000), StandardCharsets.UTF_8)));
        wrong.put("malformed", () -> post(org, "SAMLRequest", Base64.getEncoder().encodeToString("<not-saml/>".getBytes(StandardCharsets.UTF_8))));
        for (var w : wrong.entrySet()) {
            String before = Db.snapshot();
            HttpResponse<String> refused = w.getValue().call();
            assertEquals(400, refused.statusCode(), w.getKey() + ": " + refused.body());
            assertTrue(refused.body().contains("Sign-out not accepted"), w.getKey());
            assertEquals(before, Db.snapshot(), w.getKey() + ": nothing ended");
        }
        assertEquals(200, verify(cookie));
        List<Object> reasons = Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.kind = 'logout' and a.outcome = 'failure' order by a.seq", org);
        assertEquals(List.copyOf(wrong.keySet()), reasons);
    }

    /** A Redirect-binding value that inflates to {@code bytes} of zeros. */
    private static String bomb(int bytes) throws Exception {
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, new Deflater(Deflater.BEST_COMPRESSION, true))) {
            out.write(new byte[bytes]);
        }
        return Base64.getEncoder().encodeToString(deflated.toByteArray());
    }

    @Test
    void anInflateBombStopsAtTheBoundWithoutInflatingTheRest() throws Exception {
        // 256 MiB of zeros in about 250 KiB: refused once the output passes 1 MiB.
        byte[] deflated = Base64.getDecoder().decode(bomb(256 * 1024 * 1024));
        var refused = assertThrows(LogoutMessages.Refused.class, () -> LogoutMessages.inflate(deflated, OpenSaml.MAX_DOCUMENT_BYTES));
        assertEquals("too_large", refused.reason);
        assertThrows(LogoutMessages.Refused.class, () -> LogoutMessages.inflate(new byte[]{1, 2, 3, 4}, 1024));
    }

    @Test
    void signingOutAsksTheIdpToEndItsSessionAndItsSignedAnswerIsChecked() throws Exception {
        String org = org(SAMLConstants.SAML2_REDIRECT_BINDING_URI);
        String cookie = signIn(org, "jane@acme.example", "_s9");
        String next = given().cookie("gatehouse_session", cookie).post("/v1/logout?idp=true").then().statusCode(200)
                .extract().path("idp_logout_url");
        assertTrue(next.startsWith(IDP_SLO + "?SAMLRequest="), next);
        assertEquals(401, verify(cookie), "the Gatehouse session ended first");
        LogoutRequest sent = (LogoutRequest) signedByGatehouse(next, "SAMLRequest", spCertificate(org));
        assertEquals("jane@acme.example", sent.getNameID().getValue());
        assertEquals("urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", sent.getNameID().getFormat());
        assertEquals("_s9", sent.getSessionIndexes().get(0).getValue());
        assertEquals(IDP_SLO, sent.getDestination());
        assertEquals(PUBLIC + "/v1/saml/" + org, sent.getIssuer().getValue());
        assertEquals(List.of("rp-with-idp"), logouts(org, "detail->>'direction'"));

        // The IdP's answer: wrong in one way each, then right, then replayed.
        LogoutResponse forged = ServiceProvider.logoutResponse("_x1", idp.entityId, slo(org), sent.getID(), StatusCode.SUCCESS, Instant.now());
        BasicX509Credential stranger = new TestSamlIdp(idp.entityId, TestSamlIdp.newKey()).credential;
        assertEquals(400, redirect(slo(org), "SAMLResponse", forged, query(next).get("RelayState"), stranger).statusCode());
        LogoutResponse unknown = ServiceProvider.logoutResponse("_x2", idp.entityId, slo(org), "_never-sent", StatusCode.SUCCESS, Instant.now());
        assertEquals(400, redirect(slo(org), "SAMLResponse", unknown, null, idp.credential).statusCode());
        LogoutResponse answer = ServiceProvider.logoutResponse("_x3", idp.entityId, slo(org), sent.getID(), StatusCode.SUCCESS, Instant.now());
        HttpResponse<String> done = redirect(slo(org), "SAMLResponse", answer, query(next).get("RelayState"), idp.credential);
        assertEquals(303, done.statusCode(), done.body());
        assertEquals("/logout/done", URI.create(done.headers().firstValue("Location").orElseThrow()).getPath());
        LogoutResponse again = ServiceProvider.logoutResponse("_x4", idp.entityId, slo(org), sent.getID(), StatusCode.SUCCESS, Instant.now());
        assertEquals(400, redirect(slo(org), "SAMLResponse", again, null, idp.credential).statusCode(), "answered once only");
        assertEquals(List.of("rp-with-idp", "idp-response", "idp-response", "idp-response", "idp-response"),
                logouts(org, "detail->>'direction'"));
        assertEquals(List.of("success", "failure", "failure", "success", "failure"), logouts(org, "outcome"));
        assertEquals(List.of("signature_invalid", "in_response_to_unknown", "in_response_to_unknown"),
                Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id "
                        + "where o.code = ? and a.kind = 'logout' and a.outcome = 'failure' order by a.seq", org));
    }

    @Test
    void anIdpWithOnlyThePostBindingGetsASignedFormAndSpMetadataListsTheSloService() throws Exception {
        String org = org(SAMLConstants.SAML2_POST_BINDING_URI);
        String cookie = signIn(org, "jane@acme.example", "_p1");
        String next = given().cookie("gatehouse_session", cookie).post("/v1/logout?idp=true").then().statusCode(200)
                .extract().path("idp_logout_url");
        assertTrue(next.startsWith(slo(org) + "/send?request=_"), next);
        HttpResponse<String> form = get(next);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("action=\"" + IDP_SLO + "\""), form.body());
        java.util.regex.Matcher value = java.util.regex.Pattern.compile("name=\"SAMLRequest\" value=\"([^\"]+)\"").matcher(form.body());
        assertTrue(value.find());
        LogoutRequest sent = (LogoutRequest) LogoutMessages.decode(new LogoutMessages.Received(false, "SAMLRequest",
                value.group(1), null, null, null, null));
        assertTrue(sent.isSigned());
        SignatureValidator.validate(sent.getSignature(), new BasicX509Credential(spCertificate(org)));
        assertEquals("_p1", sent.getSessionIndexes().get(0).getValue());

        // The IdP's answer to a LogoutRequest in the POST binding is posted to it, signed.
        String again = signIn(org, "jane@acme.example", "_p2");
        HttpResponse<String> answer = post(org, "SAMLRequest", ServiceProvider.postValue(
                request(slo(org), "jane@acme.example", "_p2", Instant.now()), idp.credential));
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("name=\"SAMLResponse\""), answer.body());
        assertEquals(401, verify(again));

        String xml = given().get("/v1/saml/" + org + "/metadata").then().statusCode(200).extract().asString();
        EntityDescriptor entity = (EntityDescriptor) OpenSaml.unmarshall(OpenSaml.parse(xml.getBytes(StandardCharsets.UTF_8)).getDocumentElement());
        SPSSODescriptor sp = entity.getSPSSODescriptor(SAMLConstants.SAML20P_NS);
        assertEquals(List.of(SAMLConstants.SAML2_REDIRECT_BINDING_URI, SAMLConstants.SAML2_POST_BINDING_URI),
                sp.getSingleLogoutServices().stream().map(s -> s.getBinding()).toList());
        assertEquals(slo(org), sp.getSingleLogoutServices().get(0).getLocation());
        operator().get("/v1/orgs/" + org + "/sso").then().statusCode(200)
                .body("urls.slo_url", equalTo(slo(org)));
    }
}
