package io.gatehouse.saml;

import io.gatehouse.login.LoginFailure;
import io.gatehouse.testing.TestSamlIdp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * The validator against responses signed in the test: one valid baseline, then each case wrong in
 * exactly one way, refused with its own reason. Includes the XSW1–XSW8 wrapping shapes built from a
 * genuinely signed response.
 */
class SamlResponseValidatorTest {

    private static final String SP = "https://auth.example.com/v1/saml/acme";
    private static final String ACS = SP + "/acs";
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final String REQUEST = "_req1";
    private static final String SAML = "urn:oasis:names:tc:SAML:2.0:assertion";
    private static final String SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol";
    private static final String DS = "http://www.w3.org/2000/09/xmldsig#";

    private static TestSamlIdp idp;
    private static Certificates.SpKey spKey;

    @BeforeAll
    static void keys() {
        OpenSaml.initialize();
        idp = new TestSamlIdp("https://idp.example.org/metadata");
        spKey = Certificates.newSpKey("sp", NOW, Duration.ofDays(30));
    }

    private static TestSamlIdp.ResponseSpec valid() {
        return idp.response(SP, ACS).with(r -> {
            r.now = NOW;
            r.inResponseTo = REQUEST;
        });
    }

    private static SamlResponseValidator.Expectations expect(Consumer<Builder> change) {
        Builder b = new Builder();
        change.accept(b);
        return new SamlResponseValidator.Expectations(b.idpEntityId, b.certificates, SP, Set.of(ACS, "https://auth.example.com/v1/saml/acs?org=acme"),
                b.allowSha1, b.allowUnsolicited, Duration.ofSeconds(90),
                new BasicX509Credential(spKey.certificate(), spKey.privateKey()));
    }

    private static final class Builder {
        String idpEntityId = idp.entityId;
        List<java.security.cert.X509Certificate> certificates = List.of(idp.certificate());
        boolean allowSha1 = false;
        boolean allowUnsolicited = true;
    }

    private static SamlResponseValidator.Result check(String xml, SamlResponseValidator.Expectations expect, Instant now) {
        return SamlResponseValidator.validate(xml.getBytes(StandardCharsets.UTF_8), expect, REQUEST, now);
    }

    private static SamlResponseValidator.Result check(String xml) {
        return check(xml, expect(b -> { }), NOW);
    }

    private static void refused(LoginFailure reason, SamlResponseValidator.Result result) {
        SamlResponseValidator.Refused refused = assertInstanceOf(SamlResponseValidator.Refused.class, result, String.valueOf(result));
        assertEquals(reason, refused.reason(), refused.detail().toString());
    }

    @Test
    void theBaselineIsAcceptedAndReadFromTheVerifiedAssertion() {
        var verified = assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().xml()));
        assertEquals("jane@acme.example", verified.nameId());
        assertEquals(REQUEST, verified.inResponseTo());
        assertEquals(List.of("Jane Doe"), verified.attributes().get("displayName"));
        assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().with(r -> {
            r.signAssertion = false;
            r.signResponse = true;
        }).xml()), "a signed response covering an unsigned assertion");
        assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().with(r -> r.signResponse = true).xml()), "both signed");
        assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().with(r -> r.recipient = r.destination =
                "https://auth.example.com/v1/saml/acs?org=acme").xml()), "the query-form ACS");
    }

    @Test
    void encryptedAssertionsAreDecryptedWithTheSpKey() {
        var verified = assertInstanceOf(SamlResponseValidator.Verified.class,
                check(valid().with(r -> r.encryptFor = spKey.certificate()).xml()));
        assertEquals("jane@acme.example", verified.nameId());
        Certificates.SpKey other = Certificates.newSpKey("other", NOW, Duration.ofDays(1));
        refused(LoginFailure.DECRYPTION_FAILED, check(valid().with(r -> r.encryptFor = other.certificate()).xml()));
    }

    @Test
    void certificateRollover_eitherListedCertificateIsTrusted() {
        Certificates.SpKey next = TestSamlIdp.newKey();
        TestSamlIdp rolled = new TestSamlIdp(idp.entityId, next);
        var both = expect(b -> b.certificates = List.of(idp.certificate(), next.certificate()));
        String signedByNew = rolled.response(SP, ACS).with(r -> {
            r.now = NOW;
            r.inResponseTo = REQUEST;
        }).xml();
        assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().xml(), both, NOW));
        assertInstanceOf(SamlResponseValidator.Verified.class, check(signedByNew, both, NOW));
        refused(LoginFailure.SIGNATURE_INVALID, check(signedByNew, expect(b -> { }), NOW));
    }

    /** One case per fault: its name, the reason it must be refused with, and the validation that must refuse it. */
    static Stream<Arguments> singleFaults() {
        return Stream.of(
                fault("status not Success", LoginFailure.STATUS_NOT_SUCCESS,
                        () -> check(valid().with(r -> r.status = "urn:oasis:names:tc:SAML:2.0:status:Responder").xml())),
                fault("no signature at all", LoginFailure.SIGNATURE_MISSING,
                        () -> check(valid().with(r -> r.signAssertion = false).xml())),
                fault("signed by a key the IdP's metadata does not list", LoginFailure.SIGNATURE_INVALID, () -> {
                    Certificates.SpKey strangerKey = TestSamlIdp.newKey();
                    return check(valid().with(r -> r.signer =
                            new BasicX509Credential(strangerKey.certificate(), strangerKey.privateKey())).xml());
                }),
                fault("RSA-SHA1 where the connection does not allow it", LoginFailure.SIGNATURE_ALGORITHM_NOT_ALLOWED,
                        () -> check(valid().with(r -> {
                            r.signatureAlgorithm = SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA1;
                            r.digestAlgorithm = SignatureConstants.ALGO_ID_DIGEST_SHA1;
                        }).xml())),
                fault("assertion from another IdP entity ID", LoginFailure.ISSUER_MISMATCH,
                        () -> check(valid().xml(), expect(b -> b.idpEntityId = "https://other-idp.example.org"), NOW)),
                fault("response issuer of another IdP", LoginFailure.ISSUER_MISMATCH,
                        () -> check(valid().with(r -> r.responseIssuer = "https://other-idp.example.org").xml())),
                fault("audience of another org", LoginFailure.AUDIENCE_MISMATCH,
                        () -> check(valid().with(r -> r.audience = "https://auth.example.com/v1/saml/globex").xml())),
                fault("recipient of another org", LoginFailure.RECIPIENT_MISMATCH,
                        () -> check(valid().with(r -> r.recipient = "https://auth.example.com/v1/saml/globex/acs").xml())),
                fault("destination of another org", LoginFailure.DESTINATION_MISMATCH,
                        () -> check(valid().with(r -> r.destination = "https://auth.example.com/v1/saml/globex/acs").xml())),
                fault("checked after it expired", LoginFailure.ASSERTION_EXPIRED,
                        () -> check(valid().xml(), expect(b -> { }), NOW.plus(Duration.ofMinutes(7)))),
                fault("checked before it is valid", LoginFailure.ASSERTION_NOT_YET_VALID,
                        () -> check(valid().xml(), expect(b -> { }), NOW.minus(Duration.ofMinutes(4)))),
                fault("answers a request nobody is waiting for", LoginFailure.IN_RESPONSE_TO_UNKNOWN,
                        () -> check(valid().with(r -> r.inResponseTo = "_someone-elses").xml())),
                fault("unsolicited where the connection does not allow it", LoginFailure.UNSOLICITED_NOT_ALLOWED,
                        () -> check(valid().with(r -> r.inResponseTo = null).xml(), expect(b -> b.allowUnsolicited = false), NOW)),
                fault("not XML", LoginFailure.RESPONSE_MALFORMED, () -> check("not xml at all")),
                fault("a SAML 1.1 response", LoginFailure.VERSION_NOT_SUPPORTED,
                        () -> check(valid().with(r -> r.responseVersion = SAMLVersion.VERSION_11).xml())),
                fault("a SAML 1.1 assertion", LoginFailure.VERSION_NOT_SUPPORTED,
                        () -> check(valid().with(r -> r.assertionVersion = SAMLVersion.VERSION_11).xml())),
                fault("a condition the SP does not understand", LoginFailure.ASSERTION_MALFORMED,
                        () -> check(valid().with(r -> r.unknownCondition = true).xml())),
                fault("the IdP session it starts has already ended", LoginFailure.ASSERTION_EXPIRED,
                        () -> check(valid().with(r -> r.sessionNotOnOrAfter = NOW.minus(Duration.ofMinutes(10))).xml())));
    }

    private static Arguments fault(String name, LoginFailure reason, Supplier<SamlResponseValidator.Result> validation) {
        return Arguments.of(Named.of(name, validation), reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleFaults")
    void eachSingleFaultIsRefusedWithItsReason(Supplier<SamlResponseValidator.Result> validation, LoginFailure reason) {
        refused(reason, validation.get());
    }

    @Test
    void whatTheConnectionAllowsIsAccepted() {
        assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().with(r -> {
            r.signatureAlgorithm = SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA1;
            r.digestAlgorithm = SignatureConstants.ALGO_ID_DIGEST_SHA1;
        }).xml(), expect(b -> b.allowSha1 = true), NOW), "SHA-1 where the connection opts in");
        assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().xml(), expect(b -> { }), NOW.minus(Duration.ofSeconds(100))),
                "within the allowed skew");
        assertInstanceOf(SamlResponseValidator.Verified.class, check(valid().with(r -> r.inResponseTo = null).xml()),
                "IdP-initiated where allowed");
    }

    @Test
    void aResponseToARequestNobodyIsWaitingForIsRefusedEvenWhenItIsOurs() {
        // The pending request is an input: none pending, the response's own InResponseTo is not enough.
        refused(LoginFailure.IN_RESPONSE_TO_UNKNOWN, SamlResponseValidator.validate(valid().xml().getBytes(StandardCharsets.UTF_8),
                expect(b -> { }), null, NOW));
    }

    @Test
    void peekReadsOnlyTheClaimedIssuerAndRequest() {
        var parsed = assertInstanceOf(SamlResponseValidator.Parsed.class,
                SamlResponseValidator.peek(valid().with(r -> r.responseIssuer = "https://claimed.example.org").xml().getBytes(StandardCharsets.UTF_8)));
        assertEquals("https://claimed.example.org", parsed.issuer());
        assertEquals(REQUEST, parsed.inResponseTo());
        refused(LoginFailure.RESPONSE_MALFORMED, (SamlResponseValidator.Refused) SamlResponseValidator.peek("<a/>".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parserAttacksAreRefusedBeforeAnythingIsRead() {
        String xml = valid().xml();
        String body = xml.substring(xml.indexOf("<saml2p:Response"));
        refused(LoginFailure.RESPONSE_MALFORMED, check("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" + body));
        refused(LoginFailure.RESPONSE_MALFORMED, check("<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\">"
                + "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" + body));
        refused(LoginFailure.RESPONSE_MALFORMED, check(body + body));
        refused(LoginFailure.RESPONSE_MALFORMED, check(new String(new byte[OpenSaml.MAX_DOCUMENT_BYTES + 1], StandardCharsets.ISO_8859_1)));
    }

    @Test
    void aCommentInsideTheNameIdCannotShortenIt() {
        // Signed as jane@acme.example.evil.com; the attacker splits it with a comment after signing.
        String xml = valid().with(r -> r.nameId = "jane@acme.example.evil.com").xml()
                .replace(">jane@acme.example.evil.com<", ">jane@acme.example<!---->.evil.com<");
        var verified = assertInstanceOf(SamlResponseValidator.Verified.class, check(xml));
        assertEquals("jane@acme.example.evil.com", verified.nameId());
    }

    // --- XSW: a genuinely signed response, rearranged --------------------------------------------

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String text(Document document) {
        return OpenSaml.serialize(document.getDocumentElement());
    }

    private static Element first(Node root, String ns, String name) {
        return (Element) ((Element) root).getElementsByTagNameNS(ns, name).item(0);
    }

    /** An evil copy of the assertion: another NameID, the signature removed, optionally another ID. */
    private static Element evil(Element assertion, boolean newId) {
        Element copy = (Element) assertion.cloneNode(true);
        first(copy, SAML, "NameID").setTextContent("ceo@acme.example");
        Element signature = first(copy, DS, "Signature");
        if (signature != null) {
            copy.removeChild(signature);
        }
        if (newId) {
            copy.setAttribute("ID", "_evil");
        }
        return copy;
    }

    @Test
    void xswShapesAreRefused() throws Exception {
        Map<String, LoginFailure> shapes = new java.util.LinkedHashMap<>();
        // XSW1: signed Response moved into the Signature of an evil Response with another ID (Santuario
        // refuses a Response inside a Signature while parsing it).
        shapes.put("xsw1", LoginFailure.RESPONSE_MALFORMED);
        // XSW2: as XSW1, the original placed before the Signature (detached).
        shapes.put("xsw2", LoginFailure.SIGNATURE_INVALID);
        // XSW3: an evil assertion (new ID) inserted before the signed one.
        shapes.put("xsw3", LoginFailure.ASSERTION_COUNT);
        // XSW4: the signed assertion wrapped inside an evil one.
        shapes.put("xsw4", LoginFailure.SIGNATURE_MISSING);
        // XSW5: evil assertion (same ID) carrying the original's signature; the original next to it.
        shapes.put("xsw5", LoginFailure.RESPONSE_MALFORMED);
        // XSW6: evil assertion carrying the original's signature; the original inside that signature.
        shapes.put("xsw6", LoginFailure.RESPONSE_MALFORMED);
        // XSW7: the signed assertion hidden in Extensions; an evil one in its place.
        shapes.put("xsw7", LoginFailure.RESPONSE_MALFORMED);
        // XSW8: evil assertion; the original inside an Object of the evil assertion's signature.
        shapes.put("xsw8", LoginFailure.RESPONSE_MALFORMED);
        StringBuilder seen = new StringBuilder();
        for (Map.Entry<String, LoginFailure> shape : shapes.entrySet()) {
            String xml = switch (shape.getKey()) {
                case "xsw1", "xsw2" -> responseWrap(shape.getKey().equals("xsw2"));
                default -> assertionWrap(shape.getKey());
            };
            SamlResponseValidator.Result result = check(xml);
            SamlResponseValidator.Refused refused = assertInstanceOf(SamlResponseValidator.Refused.class, result, shape.getKey() + " accepted");
            seen.append(shape.getKey()).append('=').append(refused.reason()).append(' ').append(refused.detail()).append('\n');
        }
        StringBuilder expected = new StringBuilder();
        shapes.forEach((k, v) -> expected.append(k).append('=').append(v).append('\n'));
        assertEquals(expected.toString(), seen.toString().replaceAll(" \\{.*", ""), seen.toString());
    }

    private static String responseWrap(boolean detached) throws Exception {
        Document document = parse(valid().with(r -> {
            r.signAssertion = false;
            r.signResponse = true;
        }).xml());
        Element original = document.getDocumentElement();
        Element evilResponse = (Element) original.cloneNode(true);
        evilResponse.setAttribute("ID", "_evilResponse");
        first(evilResponse, SAML, "NameID").setTextContent("ceo@acme.example");
        first(evilResponse, SAML, "Assertion").setAttribute("ID", "_evilAssertion");
        Element evilSignature = first(evilResponse, DS, "Signature");
        Node originalCopy = document.importNode(original, true);
        if (detached) {
            evilResponse.insertBefore(originalCopy, evilSignature);
        } else {
            evilSignature.appendChild(originalCopy);
        }
        document.replaceChild(evilResponse, original);
        return text(document);
    }

    private static String assertionWrap(String shape) throws Exception {
        Document document = parse(valid().xml());
        Element response = document.getDocumentElement();
        Element assertion = first(response, SAML, "Assertion");
        switch (shape) {
            case "xsw3" -> response.insertBefore(evil(assertion, true), assertion);
            case "xsw4" -> {
                Element wrapper = evil(assertion, true);
                response.replaceChild(wrapper, assertion);
                wrapper.appendChild(assertion);
            }
            case "xsw5" -> {
                Element evil = evil(assertion, false);
                evil.insertBefore(first(assertion, DS, "Signature").cloneNode(true), first(evil, SAML, "Subject"));
                response.insertBefore(evil, assertion);
            }
            case "xsw6" -> {
                Element evil = evil(assertion, false);
                Element signature = (Element) first(assertion, DS, "Signature").cloneNode(true);
                evil.insertBefore(signature, first(evil, SAML, "Subject"));
                response.replaceChild(evil, assertion);
                signature.appendChild(assertion);
            }
            case "xsw7" -> {
                Element extensions = document.createElementNS(SAMLP, "saml2p:Extensions");
                response.insertBefore(extensions, first(response, SAMLP, "Status"));
                Element evil = evil(assertion, false);
                response.replaceChild(evil, assertion);
                extensions.appendChild(assertion);
            }
            case "xsw8" -> {
                Element evil = evil(assertion, false);
                Element signature = (Element) first(assertion, DS, "Signature").cloneNode(true);
                evil.insertBefore(signature, first(evil, SAML, "Subject"));
                Element object = document.createElementNS(DS, "ds:Object");
                signature.appendChild(object);
                response.replaceChild(evil, assertion);
                assertion.removeChild(first(assertion, DS, "Signature"));
                object.appendChild(assertion);
            }
            default -> throw new IllegalArgumentException(shape);
        }
        return text(document);
    }
}
