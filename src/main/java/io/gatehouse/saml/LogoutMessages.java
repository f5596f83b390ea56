package io.gatehouse.saml;

import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.LogoutRequest;
import org.opensaml.saml.saml2.core.LogoutResponse;
import org.opensaml.saml.saml2.core.RequestAbstractType;
import org.opensaml.saml.saml2.core.StatusResponseType;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.crypto.XMLSigningUtil;
import org.w3c.dom.Element;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * SAML Single Logout messages that reach Gatehouse (SAML profiles 4.4, bindings 3.4 and 3.5): decoded from
 * either binding — the HTTP-Redirect one inflated with a hard bound, so an inflate bomb is refused after
 * at most {@link OpenSaml#MAX_DOCUMENT_BYTES} of output — parsed with the secure pool, and checked against
 * one connection: issuer, signature (over the query string, or enveloped), destination, and time. Pure:
 * replay, pending requests and sessions are the caller's.
 */
final class LogoutMessages {

    private LogoutMessages() {
    }

    /**
     * A message as it arrived.
     *
     * @param redirect  HTTP-Redirect binding (GET, query) rather than HTTP-POST (form)
     * @param field     {@code SAMLRequest} or {@code SAMLResponse}
     * @param rawQuery  the query string exactly as received (Redirect binding: what the signature covers)
     */
    record Received(boolean redirect, String field, String value, String relayState, String sigAlg, String signature,
                    String rawQuery) {
    }

    /** A refusal: a short reason for the attempt log, and a sentence for the admin. */
    static final class Refused extends Exception {
        final String reason;

        Refused(String reason, String problem) {
            super(problem, null, false, false);
            this.reason = reason;
        }
    }

    /** What a message is checked against: the connection's IdP and Gatehouse's SLO URL. */
    record Expectations(String idpEntityId, List<X509Certificate> certificates, boolean allowSha1, String sloUrl,
                        Duration skew, Duration maxAge) {
    }

    /** Decodes and parses; the result is a {@link LogoutRequest} or a {@link LogoutResponse}, nothing else. */
    static SignableSAMLObject decode(Received received) throws Refused {
        if (received.value() == null || received.value().isBlank()) {
            throw new Refused("malformed", "no SAMLRequest or SAMLResponse");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(received.value().strip());
        } catch (IllegalArgumentException e) {
            throw new Refused("malformed", received.field() + " is not base64");
        }
        byte[] xml = received.redirect() ? inflate(bytes, OpenSaml.MAX_DOCUMENT_BYTES) : bytes;
        Element root;
        try {
            root = OpenSaml.parse(xml).getDocumentElement();
        } catch (OpenSaml.XmlRejected e) {
            throw new Refused(e.getMessage().contains("larger") ? "too_large" : "malformed", e.getMessage());
        }
        String expected = "SAMLRequest".equals(received.field()) ? "LogoutRequest" : "LogoutResponse";
        if (!SAMLConstants.SAML20P_NS.equals(root.getNamespaceURI()) || !expected.equals(root.getLocalName())) {
            throw new Refused("malformed", "expected a samlp:" + expected + ", received " + root.getLocalName());
        }
        String duplicate = SamlResponseValidator.duplicateId(root);
        if (duplicate != null) {
            throw new Refused("malformed", "the ID " + duplicate + " appears twice");
        }
        try {
            return (SignableSAMLObject) OpenSaml.unmarshall(root);
        } catch (OpenSaml.XmlRejected e) {
            throw new Refused(e.isAlgorithm() ? "signature_algorithm_not_allowed" : "malformed", e.getMessage());
        }
    }

    /**
     * Raw DEFLATE (bindings 3.4.4.1), stopping as soon as the output passes {@code max} bytes: memory stays
     * bounded whatever the ratio of the input.
     */
    static byte[] inflate(byte[] deflated, int max) throws Refused {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new Refused("malformed", "the message is not complete DEFLATE data");
                }
                if (out.size() + n > max) {
                    throw new Refused("too_large", "the message inflates to more than " + max + " bytes");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new Refused("malformed", "the message is not DEFLATE data");
        } finally {
            inflater.end();
        }
    }

    /** The issuer a message names (not yet verified): only for choosing which connection to check it against. */
    static String claimedIssuer(SignableSAMLObject message) {
        var issuer = message instanceof RequestAbstractType r ? r.getIssuer()
                : message instanceof StatusResponseType s ? s.getIssuer() : null;
        return issuer == null || issuer.getValue() == null ? null : issuer.getValue().strip();
    }

    /** Every check that needs no shared state; throws the first that fails. */
    static void verify(SignableSAMLObject message, Received received, Expectations expect, Instant now) throws Refused {
        SAMLVersion version = message instanceof RequestAbstractType r ? r.getVersion() : ((StatusResponseType) message).getVersion();
        String id = message instanceof RequestAbstractType r ? r.getID() : ((StatusResponseType) message).getID();
        Instant issued = message instanceof RequestAbstractType r ? r.getIssueInstant() : ((StatusResponseType) message).getIssueInstant();
        String destination = message instanceof RequestAbstractType r ? r.getDestination() : ((StatusResponseType) message).getDestination();
        if (version == null || version.getMajorVersion() != 2 || id == null || id.isBlank() || issued == null) {
            throw new Refused("malformed", "not a SAML 2.0 message with an ID and an IssueInstant");
        }
        if (!expect.idpEntityId().equals(claimedIssuer(message))) {
            throw new Refused("issuer_mismatch", "the issuer is " + claimedIssuer(message) + ", the connection's IdP is " + expect.idpEntityId());
        }
        checkSignature(message, received, expect);
        // Signed messages must name where they were sent (bindings 3.4.5.2, 3.5.5.2): here, this org's SLO URL.
        if (!expect.sloUrl().equals(destination)) {
            throw new Refused("destination_mismatch", "the Destination is " + destination + ", expected " + expect.sloUrl());
        }
        if (issued.isAfter(now.plus(expect.skew()))) {
            throw new Refused("not_yet_valid", "the IssueInstant " + issued + " is in the future");
        }
        if (issued.isBefore(now.minus(expect.maxAge()).minus(expect.skew()))) {
            throw new Refused("expired", "the message was issued at " + issued + ", longer ago than " + expect.maxAge());
        }
        if (message instanceof LogoutRequest request) {
            if (request.getNotOnOrAfter() != null && !now.isBefore(request.getNotOnOrAfter().plus(expect.skew()))) {
                throw new Refused("expired", "the request's NotOnOrAfter " + request.getNotOnOrAfter() + " has passed");
            }
            if (request.getNameID() == null || request.getNameID().getValue() == null || request.getNameID().getValue().isBlank()) {
                throw new Refused("malformed", request.getEncryptedID() != null
                        ? "an encrypted NameID is not supported" : "the request names no NameID");
            }
        }
    }

    private static void checkSignature(SignableSAMLObject message, Received received, Expectations expect) throws Refused {
        if (received.redirect()) {
            if (received.signature() == null || received.sigAlg() == null) {
                throw new Refused("unsigned", "the message is not signed (no Signature and SigAlg in the query)");
            }
            if (!SamlResponseValidator.signatureAlgorithmAllowed(received.sigAlg(), expect.allowSha1())) {
                throw new Refused("signature_algorithm_not_allowed", "the SigAlg " + received.sigAlg() + " is not allowed");
            }
            byte[] signature;
            try {
                signature = Base64.getMimeDecoder().decode(received.signature());
            } catch (IllegalArgumentException e) {
                throw new Refused("signature_invalid", "the Signature is not base64");
            }
            byte[] signed = signedOctets(received).getBytes(StandardCharsets.UTF_8);
            for (X509Certificate certificate : expect.certificates()) {
                try {
                    if (XMLSigningUtil.verifyWithURI(new BasicX509Credential(certificate), received.sigAlg(), signature, signed)) {
                        return;
                    }
                } catch (org.opensaml.security.SecurityException | RuntimeException e) {
                    // Another certificate of a rollover may verify it.
                }
            }
            throw new Refused("signature_invalid", "the query signature does not verify with the connection's certificates");
        }
        if (!message.isSigned()) {
            throw new Refused("unsigned", "the message is not signed");
        }
        String problem = SamlResponseValidator.envelopedSignatureProblem(message, expect.certificates(), expect.allowSha1());
        if (problem != null) {
            throw new Refused(problem.contains("algorithm") ? "signature_algorithm_not_allowed" : "signature_invalid", problem);
        }
    }

    /**
     * What an HTTP-Redirect signature covers (bindings 3.4.4.1): the message, RelayState (when present) and
     * SigAlg parameters, in that order, exactly as they were URL-encoded in the query received.
     */
    static String signedOctets(Received received) {
        String query = received.rawQuery() == null ? "" : received.rawQuery();
        StringBuilder out = new StringBuilder();
        for (String name : List.of(received.field(), "RelayState", "SigAlg")) {
            for (String pair : query.split("&")) {
                if (pair.startsWith(name + "=")) {
                    if (!out.isEmpty()) {
                        out.append('&');
                    }
                    out.append(pair);
                    break;
                }
            }
        }
        return out.toString();
    }
}
