package io.gatehouse.saml;

import com.sun.net.httpserver.HttpServer;
import io.gatehouse.testing.Api;
import io.gatehouse.testing.Db;
import io.gatehouse.testing.PostgresResource;
import io.gatehouse.testing.TestSamlIdp;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.saml2.core.AuthnRequest;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.SPSSODescriptor;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.crypto.XMLSigningUtil;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.Inflater;

import static io.gatehouse.testing.Api.operator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SAML over HTTP: orgs configured through the API, responses signed by an IdP key of the test, posted
 * to the ACS like a browser would; sign-ins end in a Gatehouse session, refusals change nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class SamlLoginTest {

    private static final String PUBLIC = "http://localhost:8080";
    private static final String SSO = "https://idp.example.org/sso";

    private final TestSamlIdp idp = new TestSamlIdp("https://idp.example.org/" + Api.newCode("e"));

    /** An org with a SAML connection configured from this IdP's metadata; returns the org code. */
    private String samlOrg(Map<String, Object> extra) {
        String org = Api.createOrg("saml");
        Map<String, Object> body = new LinkedHashMap<>(Map.of("type", "saml", "metadata_xml", idp.metadata(SSO)));
        body.putAll(extra);
        operator().body(body).post("/v1/orgs/" + org + "/connections").then().statusCode(201);
        return org;
    }

    private static String sp(String org) {
        return PUBLIC + "/v1/saml/" + org;
    }

    private static ExtractableResponse<Response> post(String org, String samlResponse, String relayState) {
        return post(org, samlResponse, relayState, Map.of());
    }

    /** The POST a browser holding {@code cookies} makes to the ACS. */
    private static ExtractableResponse<Response> post(String org, String samlResponse, String relayState, Map<String, String> cookies) {
        var request = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .cookies(cookies).formParam("SAMLResponse", samlResponse);
        if (relayState != null) {
            request.formParam("RelayState", relayState);
        }
        return request.post("/v1/saml/" + org + "/acs").then().extract();
    }

    /** An SP-initiated start as a browser makes it: where it is sent, and the cookies it now holds. */
    private record Started(String location, Map<String, String> cookies) {
        AuthnRequest request() throws Exception {
            return inflate(query(location).get("SAMLRequest"));
        }

        String relayState() {
            return query(location).get("RelayState");
        }
    }

    private static Started start(String org, String returnTo) {
        var response = given().redirects().follow(false).queryParam("return_to", returnTo)
                .get("/v1/saml/" + org).then().statusCode(303).extract();
        return new Started(response.header("Location"), response.cookies());
    }

    private static String cookie(ExtractableResponse<Response> response) {
        return response.cookie("gatehouse_session");
    }

    private static List<Object> reasons(String org) {
        return Db.column("select reason from login_attempts a join orgs o on o.id = a.org_id where o.code = ? "
                + "and a.outcome = 'failure' order by a.created_at", org);
    }

    private static Map<String, String> query(String location) {
        return TestSamlIdp.query(location);
    }

    private static AuthnRequest inflate(String samlRequest) throws Exception {
        Inflater inflater = new Inflater(true);
        inflater.setInput(Base64.getDecoder().decode(samlRequest));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!inflater.finished()) {
            int n = inflater.inflate(buffer);
            if (n == 0 && inflater.needsInput()) {
                break;
            }
            out.write(buffer, 0, n);
        }
        return (AuthnRequest) OpenSaml.unmarshall(OpenSaml.parse(out.toByteArray()).getDocumentElement());
    }

    @Test
    void spInitiatedSignInEndsInASessionAndItsResponseWorksOnce() throws Exception {
        String org = samlOrg(Map.of());
        Started started = start(org, "https://app.example.com/reports");
        String location = started.location();
        assertTrue(location.startsWith(SSO + "?"), location);
        Map<String, String> query = query(location);
        AuthnRequest request = inflate(query.get("SAMLRequest"));
        assertEquals(sp(org), request.getIssuer().getValue());
        assertEquals(sp(org) + "/acs", request.getAssertionConsumerServiceURL());
        assertEquals(SSO, request.getDestination());
        String relayState = query.get("RelayState");
        assertTrue(!relayState.contains("app.example.com"), "RelayState is an opaque reference");

        String response = idp.response(sp(org), sp(org) + "/acs").with(r -> r.inResponseTo = request.getID()).base64();
        var signedIn = post(org, response, relayState, started.cookies());
        assertEquals(303, signedIn.statusCode(), signedIn.body().asString());
        assertEquals("https://app.example.com/reports", signedIn.header("Location"));
        assertEquals("no-store", signedIn.header("Cache-Control"));
        String session = cookie(signedIn);
        assertNotNull(session);
        given().cookie("gatehouse_session", session).get("/v1/auth/verify").then().statusCode(200)
                .header("X-Auth-Org", org).header("X-Auth-Email", "jane@acme.example");
        assertEquals("Jane Doe", Db.value("select u.display_name from users u join orgs o on o.id = u.org_id where o.code = ?", org));
        assertEquals(1L, Db.count("select count(*) from login_attempts a join orgs o on o.id = a.org_id where o.code = ? "
                + "and a.outcome = 'success' and a.protocol = 'saml'", org));

        // The same POST again, and a new assertion answering the consumed request: both refused at the
        // InResponseTo check (the request was answered), before the replay store is even asked.
        String before = Db.snapshot();
        var replayed = post(org, response, relayState, started.cookies());
        assertEquals(403, replayed.statusCode());
        assertTrue(replayed.body().asString().contains("used already"), replayed.body().asString());
        String second = idp.response(sp(org), sp(org) + "/acs").with(r -> r.inResponseTo = request.getID()).base64();
        assertEquals(403, post(org, second, relayState, started.cookies()).statusCode());
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("in_response_to_unknown", "in_response_to_unknown"), reasons(org));
    }

    @Test
    void aRequestNamedOnlyInsideTheAssertionIsFoundPlainOrEncrypted() throws Exception {
        String org = samlOrg(Map.of("allow_idp_initiated", false));
        String pem = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].sp_certificate");
        for (boolean encrypted : new boolean[]{false, true}) {
            Started started = start(org, "https://app.example.com/" + encrypted);
            AuthnRequest request = started.request();
            String response = idp.response(sp(org), sp(org) + "/acs").with(r -> {
                r.inResponseTo = request.getID();
                r.inResponseToOnResponse = false;
                if (encrypted) {
                    try {
                        r.encryptFor = Certificates.parse(pem);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }).base64();
            var signedIn = post(org, response, started.relayState(), started.cookies());
            assertEquals(303, signedIn.statusCode(), signedIn.body().asString());
            assertEquals("https://app.example.com/" + encrypted, signedIn.header("Location"), "the pending request's delivery");
        }
    }

    @Test
    void aResponseToARequestIsAcceptedOnlyFromTheBrowserThatStartedIt() throws Exception {
        String org = samlOrg(Map.of());
        Started victim = start(org, "https://app.example.com/victim");
        assertEquals(1, victim.cookies().size(), victim.cookies().toString());
        String name = victim.cookies().keySet().iterator().next();
        assertEquals("gatehouse_saml_" + victim.request().getID(), name);
        String answer = idp.response(sp(org), sp(org) + "/acs").with(r -> r.inResponseTo = uncheckedId(victim)).base64();

        // Login CSRF: the response posted by a browser without the request's cookie, or with the cookie of
        // the attacker's own sign-in renamed; each refused, nothing created, the request still waiting.
        Started attacker = start(org, "https://app.example.com/attacker");
        String before = Db.snapshot();
        assertEquals(403, post(org, answer, victim.relayState()).statusCode());
        assertEquals(403, post(org, answer, victim.relayState(), Map.of(name, attacker.cookies().values().iterator().next())).statusCode());
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("browser_mismatch", "browser_mismatch"), reasons(org));

        // The browser that started it finishes it, and its binding cookie is cleared; the cookie of a sign-in
        // the same browser started in another tab stays.
        Map<String, String> tabs = new java.util.HashMap<>(victim.cookies());
        Started otherTab = start(org, "https://app.example.com/other-tab");
        tabs.putAll(otherTab.cookies());
        var signedIn = post(org, answer, victim.relayState(), tabs);
        assertEquals(303, signedIn.statusCode(), signedIn.body().asString());
        assertEquals("https://app.example.com/victim", signedIn.header("Location"));
        assertTrue(signedIn.headers().getValues("Set-Cookie").stream().anyMatch(c -> c.startsWith(name + "=;") && c.contains("Max-Age=0")),
                signedIn.headers().toString());
        String otherName = otherTab.cookies().keySet().iterator().next();
        assertTrue(signedIn.headers().getValues("Set-Cookie").stream().noneMatch(c -> c.startsWith(otherName + "=")),
                signedIn.headers().toString());
        String set = given().redirects().follow(false).get("/v1/saml/" + org).then().extract().header("Set-Cookie");
        for (String attribute : List.of("HttpOnly", "Secure", "SameSite=None", "Path=/v1/saml", "Max-Age=")) {
            assertTrue(set.contains(attribute), set);
        }
    }

    private static String uncheckedId(Started started) {
        try {
            return started.request().getID();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSaml11ResponseIsRefusedAndChangesNothing() {
        String org = samlOrg(Map.of());
        String before = Db.snapshot();
        var refused = post(org, idp.response(sp(org), sp(org) + "/acs").with(r ->
                r.responseVersion = SAMLVersion.VERSION_11).base64(), null);
        assertEquals(403, refused.statusCode());
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("version_not_supported"), reasons(org));
    }

    @Test
    void idpInitiatedSignInFollowsOnlyAnAllowedRelayState() {
        String org = samlOrg(Map.of());
        var home = post(org, idp.response(sp(org), sp(org) + "/acs").base64(), "https://app.example.com/home");
        assertEquals(303, home.statusCode(), home.body().asString());
        assertEquals("https://app.example.com/home", home.header("Location"));
        var elsewhere = post(org, idp.response(sp(org), sp(org) + "/acs").base64(), "https://evil.example.net/");
        assertEquals(303, elsewhere.statusCode());
        assertEquals("/", URI.create(elsewhere.header("Location")).getPath(), "RelayState outside the allowlist: the default page");
        assertTrue(!elsewhere.header("Location").contains("evil"));

        // An IdP-initiated response posted twice: the replay store refuses the second.
        String once = idp.response(sp(org), sp(org) + "/acs").base64();
        assertEquals(303, post(org, once, null).statusCode());
        String beforeReplay = Db.snapshot();
        var replayed = post(org, once, null);
        assertEquals(403, replayed.statusCode());
        assertTrue(replayed.body().asString().contains("already used to sign in"), replayed.body().asString());
        assertEquals(beforeReplay, Db.snapshot());

        String id = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].id");
        operator().body(Map.of("allow_idp_initiated", false)).patch("/v1/orgs/" + org + "/connections/" + id).then().statusCode(200);
        String before = Db.snapshot();
        assertEquals(403, post(org, idp.response(sp(org), sp(org) + "/acs").base64(), null).statusCode());
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("assertion_replayed", "unsolicited_not_allowed"), reasons(org));
    }

    @Test
    void theQueryFormAcsAndEncryptedAssertionsWork() {
        String org = samlOrg(Map.of());
        String acs = PUBLIC + "/v1/saml/acs?org=" + org;
        var response = given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("SAMLResponse", idp.response(sp(org), acs).base64())
                .post("/v1/saml/acs?org=" + org).then().extract();
        assertEquals(303, response.statusCode(), response.body().asString());

        String pem = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].sp_certificate");
        String encrypted = idp.response(sp(org), sp(org) + "/acs").with(r -> {
            try {
                r.encryptFor = Certificates.parse(pem);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).base64();
        assertEquals(303, post(org, encrypted, null).statusCode());
    }

    @Test
    void anAssertionForOneOrgNeverSignsAnyoneIntoAnother() {
        String a = samlOrg(Map.of());
        String b = samlOrg(Map.of());
        String before = Db.snapshot();
        // Org B's valid assertion (same IdP), posted to org A's ACS.
        var toA = post(a, idp.response(sp(b), sp(b) + "/acs").base64(), null);
        assertEquals(403, toA.statusCode());
        // Another IdP's assertion, shaped for org A in every other way: checked against A's only
        // connection, its signature is the first thing that fails.
        TestSamlIdp other = new TestSamlIdp("https://other-idp.example.org/" + Api.newCode("x"), TestSamlIdp.newKey());
        assertEquals(403, post(a, other.response(sp(a), sp(a) + "/acs").base64(), null).statusCode());
        assertEquals(before, Db.snapshot());
        assertEquals(List.of("audience_mismatch", "signature_invalid"), reasons(a));
    }

    @Test
    void refusalsAreLoggedWithExpectedAndReceivedValuesAndChangeNothing() {
        String org = samlOrg(Map.of());
        String acs = sp(org) + "/acs";
        TestSamlIdp stranger = new TestSamlIdp(idp.entityId, TestSamlIdp.newKey());
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("signature_invalid", stranger.response(sp(org), acs).base64());
        cases.put("signature_missing", idp.response(sp(org), acs).with(r -> r.signAssertion = false).base64());
        cases.put("recipient_mismatch", idp.response(sp(org), acs).with(r -> r.recipient = PUBLIC + "/v1/saml/other/acs").base64());
        cases.put("destination_mismatch", idp.response(sp(org), acs).with(r -> r.destination = PUBLIC + "/v1/saml/other/acs").base64());
        cases.put("assertion_expired", idp.response(sp(org), acs).with(r -> {
            r.now = r.now.minusSeconds(3600);
        }).base64());
        cases.put("in_response_to_unknown", idp.response(sp(org), acs).with(r -> r.inResponseTo = "_never-issued").base64());
        cases.put("response_malformed", "%%% not base64 %%%");
        String before = Db.snapshot();
        for (Map.Entry<String, String> c : cases.entrySet()) {
            var refused = post(org, c.getValue(), null);
            assertEquals(403, refused.statusCode(), c.getKey());
            assertTrue(refused.body().asString().contains("Reference for your administrator"), c.getKey());
            assertEquals("no-store", refused.header("Cache-Control"));
        }
        assertEquals(before, Db.snapshot());
        assertEquals(List.copyOf(cases.keySet()), reasons(org));
        Object recipient = Db.value("select detail::text from login_attempts a join orgs o on o.id = a.org_id "
                + "where o.code = ? and a.reason = 'recipient_mismatch'", org);
        assertTrue(recipient.toString().contains(acs) && recipient.toString().contains("/v1/saml/other/acs"), recipient.toString());
    }

    @Test
    void perConnectionSpValuesForAnOrgMigratingFromAnotherSp() {
        String oldSp = "https://old-sp.example.com/saml/metadata";
        String oldAcs = "https://old-sp.example.com/saml/acs";
        String org = samlOrg(Map.of("sp_entity_id", oldSp, "acs_url", oldAcs));
        given().get("/v1/saml/" + org + "/metadata").then().statusCode(200)
                .body(containsString("entityID=\"" + oldSp + "\"")).body(containsString("Location=\"" + oldAcs + "\""));
        operator().get("/v1/orgs/" + org + "/sso").then().body("connections[0].sp_entity_id", equalTo(oldSp))
                .body("connections[0].acs_url", equalTo(oldAcs));
        assertEquals(303, post(org, idp.response(oldSp, oldAcs).base64(), null).statusCode(), "issued for the old SP");
        assertEquals(403, post(org, idp.response(sp(org), sp(org) + "/acs").base64(), null).statusCode());
        assertEquals(List.of("audience_mismatch"), reasons(org));
    }

    @Test
    void hugeBodiesAreRefusedBeforeParsing() {
        String org = samlOrg(Map.of());
        given().contentType("application/x-www-form-urlencoded").formParam("SAMLResponse", "A".repeat(1_200_000))
                .post("/v1/saml/" + org + "/acs").then().statusCode(413);
    }

    @Test
    void spMetadataAndSignedAuthnRequests() throws Exception {
        String org = samlOrg(Map.of("sign_requests", true));
        String xml = given().get("/v1/saml/" + org + "/metadata").then().statusCode(200)
                .contentType(containsString("application/samlmetadata+xml")).extract().asString();
        EntityDescriptor metadata = (EntityDescriptor) OpenSaml.unmarshall(OpenSaml.parse(xml.getBytes(StandardCharsets.UTF_8)).getDocumentElement());
        assertEquals(sp(org), metadata.getEntityID());
        SPSSODescriptor descriptor = metadata.getSPSSODescriptor("urn:oasis:names:tc:SAML:2.0:protocol");
        assertEquals(List.of(sp(org) + "/acs", PUBLIC + "/v1/saml/acs?org=" + org),
                descriptor.getAssertionConsumerServices().stream().map(s -> s.getLocation()).toList());
        assertTrue(descriptor.isAuthnRequestsSigned());
        String pem = operator().get("/v1/orgs/" + org + "/connections").then().extract().path("[0].sp_certificate");

        String location = given().redirects().follow(false).get("/v1/saml/" + org).then().statusCode(303).extract().header("Location");
        String rawQuery = URI.create(location).getRawQuery();
        String signed = rawQuery.substring(0, rawQuery.indexOf("&Signature="));
        Map<String, String> query = query(location);
        assertEquals("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", query.get("SigAlg"));
        assertTrue(XMLSigningUtil.verifyWithURI(new BasicX509Credential(Certificates.parse(pem)), query.get("SigAlg"),
                Base64.getDecoder().decode(query.get("Signature")), signed.getBytes(StandardCharsets.UTF_8)));

        given().accept("application/json").get("/v1/saml/" + org).then().statusCode(200)
                .body("entity_id", equalTo(sp(org))).body("acs_urls[0]", equalTo(sp(org) + "/acs"));
        given().get("/v1/saml/unknown-org-xyz/metadata").then().statusCode(404);
    }

    @Test
    void metadataUploadShowsEveryCertificateAndRefusesWhatItCannotUse() {
        String org = Api.createOrg("meta");
        String id = operator().body(Map.of("type", "saml")).post("/v1/orgs/" + org + "/connections").then().statusCode(201)
                .extract().path("id");
        given().get("/v1/sso/start?login=" + org).then().statusCode(404);
        var next = TestSamlIdp.newKey();
        operator().contentType("application/samlmetadata+xml").body(idp.metadata(SSO, next.certificate()))
                .put("/v1/orgs/" + org + "/connections/" + id + "/metadata").then().statusCode(200)
                .body("idp.entity_id", equalTo(idp.entityId))
                .body("idp.signing_certificates.sha256_fingerprint", hasItem(Certificates.sha256(next.certificate())))
                .body("idp.signing_certificates.size()", equalTo(2));
        operator().get("/v1/orgs/" + org + "/sso").then().statusCode(200)
                .body("connections[0].connection.idp.signing_certificates.sha256_fingerprint",
                        hasItem(Certificates.sha256(idp.certificate())));
        given().redirects().follow(false).get("/v1/sso/start?login=" + org).then().statusCode(303)
                .header("Location", containsString("/v1/saml/" + org + "?connection=" + id));

        String before = Db.snapshot();
        operator().contentType("application/samlmetadata+xml").body("<EntityDescriptor")
                .put("/v1/orgs/" + org + "/connections/" + id + "/metadata").then().statusCode(400)
                .body("errors[0].field", equalTo("metadata_xml"));
        operator().contentType("application/samlmetadata+xml").body("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
                .put("/v1/orgs/" + org + "/connections/" + id + "/metadata").then().statusCode(400)
                .body("errors[0].message", containsString("DOCTYPE"));
        String two = "<EntitiesDescriptor xmlns=\"urn:oasis:names:tc:SAML:2.0:metadata\">"
                + strip(idp.metadata(SSO)) + strip(new TestSamlIdp("https://second.example.org/idp").metadata(SSO)) + "</EntitiesDescriptor>";
        // A connection without metadata yet has no entity ID to pick from two IdPs: it asks.
        String fresh = operator().body(Map.of("type", "saml")).post("/v1/orgs/" + org + "/connections").then().statusCode(201)
                .extract().path("id");
        before = Db.snapshot();
        operator().contentType("application/samlmetadata+xml").body(two)
                .put("/v1/orgs/" + org + "/connections/" + fresh + "/metadata").then().statusCode(400)
                .body("errors[0].message", containsString("https://second.example.org/idp"));
        assertEquals(before, Db.snapshot());
        operator().contentType("application/samlmetadata+xml").body(two).queryParam("idp_entity_id", "https://second.example.org/idp")
                .put("/v1/orgs/" + org + "/connections/" + fresh + "/metadata").then().statusCode(200)
                .body("idp.entity_id", equalTo("https://second.example.org/idp"));
        String oidc = Api.createAzureConnection(org, "secret");
        operator().contentType("application/samlmetadata+xml").body(idp.metadata(SSO))
                .put("/v1/orgs/" + org + "/connections/" + oidc + "/metadata").then().statusCode(422);
    }

    private static String strip(String xml) {
        return xml.replaceFirst("^<\\?xml[^>]*>", "");
    }

    @Test
    void metadataByUrlIsFetchedAndRefreshed() throws Exception {
        AtomicReference<String> served = new AtomicReference<>(idp.metadata(SSO));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metadata", exchange -> {
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/samlmetadata+xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/metadata";
            String org = Api.createOrg("url");
            String id = operator().body(Map.of("type", "saml", "metadata_url", url)).post("/v1/orgs/" + org + "/connections")
                    .then().statusCode(201).body("idp.entity_id", equalTo(idp.entityId)).extract().path("id");
            var next = TestSamlIdp.newKey();
            served.set(new TestSamlIdp(idp.entityId, next).metadata(SSO));
            operator().post("/v1/orgs/" + org + "/connections/" + id + "/metadata/refresh").then().statusCode(200)
                    .body("idp.signing_certificates.sha256_fingerprint", hasItem(Certificates.sha256(next.certificate())));
            operator().body(Map.of("type", "saml", "metadata_url", "http://127.0.0.1:9/metadata"))
                    .post("/v1/orgs/" + org + "/connections").then().statusCode(400)
                    .body("errors[0].message", containsString("could not be reached"));
        } finally {
            server.stop(0);
        }
    }
}
