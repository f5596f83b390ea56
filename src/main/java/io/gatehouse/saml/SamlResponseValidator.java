package io.gatehouse.saml;

import io.gatehouse.login.LoginFailure;
import net.shibboleth.utilities.java.support.resolver.CriteriaSet;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Decrypter;
import org.opensaml.saml.saml2.encryption.EncryptedElementTypeEncryptedKeyResolver;
import org.opensaml.saml.security.impl.SAMLSignatureProfileValidator;
import org.opensaml.security.credential.Credential;
import org.opensaml.security.credential.UsageType;
import org.opensaml.security.credential.impl.StaticCredentialResolver;
import org.opensaml.security.criteria.UsageCriterion;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.config.impl.DefaultSecurityConfigurationBootstrap;
import org.opensaml.xmlsec.encryption.support.ChainingEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.InlineEncryptedKeyResolver;
import org.opensaml.xmlsec.encryption.support.SimpleRetrievalMethodEncryptedKeyResolver;
import org.opensaml.xmlsec.keyinfo.KeyInfoSupport;
import org.opensaml.xmlsec.keyinfo.impl.StaticKeyInfoCredentialResolver;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.impl.ExplicitKeySignatureTrustEngine;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a SAML response in two steps. {@link #peek} parses it (secure parser, no DTDs, one element per
 * ID) and reads only what chooses the connection and the pending request: the claimed issuer and
 * InResponseTo, never trusted. {@link #validate} is then a pure function of the parsed response, the
 * chosen connection's {@link Expectations}, the ID of the request this org issued and is waiting for
 * (or null), and the time; it returns the verified identity or a typed {@link Refused}, checking in
 * this order (the order DESIGN.md gives):
 * <ol>
 *   <li>the response is SAML 2.0 (core 4.1.2, 3.2.2) with its required ID and IssueInstant (core 3.2.2);</li>
 *   <li>status Success (SAML core 3.2.2.2);</li>
 *   <li>exactly one assertion (profiles 4.1.4.2), decrypted with the SP key when encrypted (core 6.2), of
 *       Version 2.0 (core 2.3.3, 4.1.2);</li>
 *   <li>a signature by one of the connection's certificates over the response or the assertion:
 *       allowlisted algorithms, the SAML signature profile against wrapping (core 5.4), every signature
 *       present valid; then the signed assertion's shape: its required ID and IssueInstant (core 2.3.3),
 *       a NameID, named attributes, no Condition it does not
 *       understand (core 2.5.1: an unknown condition makes the assertion indeterminate), no processing
 *       instruction. (Profiles 4.1.4.2 also want an AuthnStatement; real Keycloak responses come without
 *       one, so its absence is allowed.)</li>
 *   <li>issuer = the IdP's entity ID, on the assertion and on the response (core 2.2.5, 3.2.2; profiles 4.1.4.2);</li>
 *   <li>audience = the SP entity ID, in every AudienceRestriction and any SPNameQualifier (core 2.5.1.4, 2.2.2);</li>
 *   <li>bearer SubjectConfirmation Recipient and the response's Destination = one of the ACS URLs
 *       (profiles 4.1.4.2; core 3.2.2);</li>
 *   <li>NotBefore / NotOnOrAfter of Conditions and of the bearer confirmation, with the skew (core 2.5.1.2, 2.4.1.2),
 *       and the AuthnStatement's SessionNotOnOrAfter not passed (core 2.7.2);</li>
 *   <li>InResponseTo = the pending request, or none where unsolicited responses are allowed (profiles 4.1.4.3, 4.1.5).</li>
 * </ol>
 * Claims are read only from the assertion whose signature was verified. The replay check of the
 * assertion ID needs shared state and is the caller's, after a {@link Verified}.
 */
public final class SamlResponseValidator {

    private static final String DSIG = "http://www.w3.org/2000/09/xmldsig#";
    private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    /** The conditions SAML core defines (2.5.1.4–2.5.1.6): any other makes an assertion indeterminate (2.5.1). */
    private static final Set<String> UNDERSTOOD_CONDITIONS = Set.of("AudienceRestriction", "OneTimeUse", "ProxyRestriction");
    private static final Set<String> SIGNATURE_ALGORITHMS = Set.of(
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512");
    private static final Set<String> DIGEST_ALGORITHMS = Set.of(
            "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384",
            "http://www.w3.org/2001/04/xmlenc#sha512");
    private static final Set<String> CANONICALIZATIONS = Set.of(
            "http://www.w3.org/2001/10/xml-exc-c14n#",
            "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
            "http://www.w3.org/2006/12/xml-c14n11");
    private static final String RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1";
    private static final String SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1";

    /**
     * What the response must match.
     *
     * @param idpEntityId      the IdP's entity ID from its metadata
     * @param certificates     every signing certificate the IdP's metadata lists (rollover)
     * @param spEntityId       this org's (or the connection's override) entity ID = audience
     * @param acsUrls          the ACS URLs this org answers on (Recipient and Destination must be one)
     * @param allowSha1        accept RSA-SHA1 signatures and SHA-1 digests
     * @param allowUnsolicited accept responses without InResponseTo (IdP-initiated)
     * @param skew             how far apart the IdP's clock and ours may be
     * @param decryptionKey    the SP key for encrypted assertions; null when there is none
     */
    public record Expectations(String idpEntityId, List<X509Certificate> certificates, String spEntityId,
                               Set<String> acsUrls, boolean allowSha1, boolean allowUnsolicited, Duration skew,
                               Credential decryptionKey) {
    }

    /** The outcome of {@link #validate}: {@link Verified} or {@link Refused}. */
    public sealed interface Result {
    }

    /** The outcome of {@link #peek}: {@link Parsed} or {@link Refused}. */
    public sealed interface Peek {
    }

    /**
     * A verified assertion and the claims read from it.
     *
     * @param expiresAt    until when the assertion (and so its replay-store entry) matters
     * @param inResponseTo the request answered; null for IdP-initiated
     * @param attributes   attribute name → values, as sent
     */
    public record Verified(String assertionId, String issuer, Instant expiresAt, String inResponseTo, String nameId,
                           String nameIdFormat, String sessionIndex, Map<String, List<String>> attributes,
                           String nameQualifier, String spNameQualifier) implements Result {
    }

    /** A refusal: the reason and the expected-vs-received values an admin needs. */
    public record Refused(LoginFailure reason, Map<String, String> detail) implements Result, Peek {
        static Refused of(LoginFailure reason, String... pairs) {
            Map<String, String> detail = new LinkedHashMap<>();
            for (int i = 0; i + 1 < pairs.length; i += 2) {
                detail.put(pairs[i], pairs[i + 1] == null ? "(none)" : truncate(pairs[i + 1]));
            }
            return new Refused(reason, detail);
        }
    }

    /**
     * A parsed response and what it claims before anything is verified: only for choosing which of an
     * org's connections, and which pending request, to validate it against; never a claim.
     */
    public static final class Parsed implements Peek {
        private final Response response;
        private final String issuer;
        private final String inResponseTo;

        private Parsed(Response response, String issuer, String inResponseTo) {
            this.response = response;
            this.issuer = issuer;
            this.inResponseTo = inResponseTo;
        }

        /** The issuer the response (or its only plain assertion) names. */
        public String issuer() {
            return issuer;
        }

        /** The request the response says it answers (the response's, else its plain assertion's bearer confirmation). */
        public String inResponseTo() {
            return inResponseTo;
        }
    }

    private SamlResponseValidator() {
    }

    /** Parses the response and reads what it claims to be: a {@link Parsed}, or a refusal of malformed XML. */
    public static Peek peek(byte[] xml) {
        Document document;
        try {
            document = OpenSaml.parse(xml);
        } catch (OpenSaml.XmlRejected e) {
            return Refused.of(LoginFailure.RESPONSE_MALFORMED, "problem", e.getMessage());
        }
        Element root = document.getDocumentElement();
        if (!SAMLConstants.SAML20P_NS.equals(root.getNamespaceURI()) || !"Response".equals(root.getLocalName())) {
            return Refused.of(LoginFailure.RESPONSE_MALFORMED, "problem", "the root element is not a samlp:Response",
                    "received", root.getLocalName());
        }
        String duplicate = duplicateId(root, new HashSet<>());
        if (duplicate != null) {
            return Refused.of(LoginFailure.RESPONSE_MALFORMED, "problem", "the ID " + duplicate + " appears twice");
        }
        Response response;
        try {
            response = (Response) OpenSaml.unmarshall(root);
        } catch (OpenSaml.XmlRejected e) {
            return Refused.of(e.isAlgorithm() ? LoginFailure.SIGNATURE_ALGORITHM_NOT_ALLOWED : LoginFailure.RESPONSE_MALFORMED,
                    "problem", e.getMessage());
        }
        Assertion only = response.getAssertions().size() == 1 ? response.getAssertions().get(0) : null;
        String issuer = response.getIssuer() != null ? response.getIssuer().getValue()
                : only != null && only.getIssuer() != null ? only.getIssuer().getValue() : null;
        String inResponseTo = response.getInResponseTo() != null ? response.getInResponseTo()
                : only == null ? null : bearerInResponseTo(only);
        return new Parsed(response, issuer, inResponseTo);
    }

    /** {@link #peek} then {@link #validate(Parsed, Expectations, String, Instant)}. */
    public static Result validate(byte[] xml, Expectations expect, String pendingRequest, Instant now) {
        return switch (peek(xml)) {
            case Refused refused -> refused;
            case Parsed parsed -> validate(parsed, expect, pendingRequest, now);
        };
    }

    /**
     * Validates a parsed response against one connection's expectations.
     *
     * @param pendingRequest the ID of the AuthnRequest this org issued to this connection and still waits
     *                       for, found by the response's claimed InResponseTo; null when there is none
     * @param now            the time to check the validity window against
     */
    public static Result validate(Parsed parsed, Expectations expect, String pendingRequest, Instant now) {
        try {
            Response response = parsed.response;
            checkVersion(response);
            checkStatus(response);
            Assertion assertion = onlyAssertion(response, expect);
            checkSignatures(response, assertion, expect);
            String issuer = checkIssuer(response, assertion, expect);
            checkAudience(assertion, expect);
            SubjectConfirmationData bearer = checkRecipient(response, assertion, expect);
            Window window = checkTime(assertion, bearer, expect.skew(), now);
            String inResponseTo = checkInResponseTo(response, bearer, expect, pendingRequest);
            NameID nameId = assertion.getSubject().getNameID();
            String sessionIndex = assertion.getAuthnStatements().stream().map(AuthnStatement::getSessionIndex)
                    .filter(i -> i != null).findFirst().orElse(null);
            return new Verified(assertion.getID(), issuer, window.keepUntil(), inResponseTo, text(nameId),
                    nameId.getFormat(), sessionIndex, attributes(assertion),
                    nameId.getNameQualifier(), nameId.getSPNameQualifier());
        } catch (RefusedException refused) {
            return refused.refused;
        }
    }

    /**
     * What is wrong with the enveloped signature of another signed message (a logout message in the
     * HTTP-POST binding), by the same rules as a response's: algorithms on the allowlist, the SAML
     * signature profile, verified by one of the certificates. Null when it is good.
     */
    static String envelopedSignatureProblem(org.opensaml.saml.common.SignableSAMLObject message,
                                            List<X509Certificate> certificates, boolean allowSha1) {
        Expectations expect = new Expectations(null, certificates, null, Set.of(), allowSha1, false, Duration.ZERO, null);
        try {
            checkShape(message.getSignature(), "message", expect);
            checkTrust(message.getSignature(), "message", trustEngine(certificates), expect);
            return null;
        } catch (RefusedException e) {
            return e.refused.reason() == LoginFailure.SIGNATURE_ALGORITHM_NOT_ALLOWED
                    ? "the signature algorithm is not allowed: " + e.refused.detail().get("received")
                    : "the signature does not verify with the connection's certificates";
        }
    }

    /** Whether a signature algorithm URI (an HTTP-Redirect SigAlg) is on the allowlist. */
    static boolean signatureAlgorithmAllowed(String algorithm, boolean allowSha1) {
        return algorithm != null && (SIGNATURE_ALGORITHMS.contains(algorithm) || (allowSha1 && RSA_SHA1.equals(algorithm)));
    }

    /** An ID attribute value found twice in the document (signature wrapping), or null. */
    static String duplicateId(Element root) {
        return duplicateId(root, new HashSet<>());
    }

    /** 0. A SAML 2.0 response (core 4.1.2: other versions are refused) with its required ID and IssueInstant (core 3.2.2). */
    private static void checkVersion(Response response) throws RefusedException {
        if (response.getVersion() == null || response.getVersion().getMajorVersion() != 2 || response.getVersion().getMinorVersion() != 0) {
            throw refuse(LoginFailure.VERSION_NOT_SUPPORTED, "expected", "2.0", "received",
                    response.getVersion() == null ? null : response.getVersion().toString(), "where", "response");
        }
        if (response.getID() == null || response.getID().isBlank() || response.getIssueInstant() == null) {
            throw refuse(LoginFailure.RESPONSE_MALFORMED, "problem", "the response has no ID or no IssueInstant");
        }
    }

    /** 1. Status Success (core 3.2.2.2): an IdP's error answer carries no usable assertion. */
    private static void checkStatus(Response response) throws RefusedException {
        StatusCode status = response.getStatus() == null ? null : response.getStatus().getStatusCode();
        if (status == null || !StatusCode.SUCCESS.equals(status.getValue())) {
            String second = status != null && status.getStatusCode() != null ? status.getStatusCode().getValue() : null;
            String message = response.getStatus() != null && response.getStatus().getStatusMessage() != null
                    ? response.getStatus().getStatusMessage().getValue() : null;
            throw refuse(LoginFailure.STATUS_NOT_SUCCESS, "status", status == null ? null : status.getValue(),
                    "second_level_status", second, "status_message", message);
        }
    }

    /** 2. Exactly one assertion (profiles 4.1.4.2), decrypted with the SP key when encrypted (core 6.2). */
    private static Assertion onlyAssertion(Response response, Expectations expect) throws RefusedException {
        int count = response.getAssertions().size() + response.getEncryptedAssertions().size();
        if (count != 1) {
            throw refuse(LoginFailure.ASSERTION_COUNT, "expected", "1", "received", String.valueOf(count));
        }
        Assertion assertion = response.getAssertions().isEmpty()
                ? decrypt(response.getEncryptedAssertions().get(0), expect.decryptionKey())
                : response.getAssertions().get(0);
        if (assertion.getVersion() == null || assertion.getVersion().getMajorVersion() != 2 || assertion.getVersion().getMinorVersion() != 0) {
            throw refuse(LoginFailure.VERSION_NOT_SUPPORTED, "expected", "2.0", "received",
                    assertion.getVersion() == null ? null : assertion.getVersion().toString(), "where", "assertion");
        }
        return assertion;
    }

    /**
     * 3. A signature over the response or the assertion (profiles 4.1.4.2), each present one of an allowed
     * shape (core 5.4) and verified by a connection certificate; then the signed assertion's own rules.
     */
    private static void checkSignatures(Response response, Assertion assertion, Expectations expect) throws RefusedException {
        Signature assertionSignature = assertion.getSignature();
        Signature responseSignature = response.getSignature();
        if (assertionSignature == null && responseSignature == null) {
            throw refuse(LoginFailure.SIGNATURE_MISSING, "expected", "a signature over the response or the assertion");
        }
        if (assertionSignature != null) {
            checkShape(assertionSignature, "assertion", expect);
        }
        if (responseSignature != null) {
            checkShape(responseSignature, "response", expect);
        }
        ExplicitKeySignatureTrustEngine trust = trustEngine(expect.certificates());
        if (assertionSignature != null) {
            checkTrust(assertionSignature, "assertion", trust, expect);
        }
        if (responseSignature != null) {
            // Every signature present must hold, even when the assertion's own already does.
            checkTrust(responseSignature, "response", trust, expect);
        }
        String structural = structuralProblem(assertion);
        if (structural != null) {
            throw refuse(LoginFailure.ASSERTION_MALFORMED, "problem", structural);
        }
    }

    /** 4. Issuer = the IdP's entity ID, on the assertion (core 2.3.3) and on the response when it names one (core 3.2.2). */
    private static String checkIssuer(Response response, Assertion assertion, Expectations expect) throws RefusedException {
        String issuer = assertion.getIssuer() == null ? null : assertion.getIssuer().getValue();
        if (!expect.idpEntityId().equals(issuer)) {
            throw refuse(LoginFailure.ISSUER_MISMATCH, "expected", expect.idpEntityId(), "received", issuer);
        }
        if (response.getIssuer() != null && !expect.idpEntityId().equals(response.getIssuer().getValue())) {
            throw refuse(LoginFailure.ISSUER_MISMATCH, "expected", expect.idpEntityId(),
                    "received", response.getIssuer().getValue(), "where", "response");
        }
        return issuer;
    }

    /** 5. Audience: every AudienceRestriction names our entity ID (core 2.5.1.4), and so does an SPNameQualifier (core 2.2.2). */
    private static void checkAudience(Assertion assertion, Expectations expect) throws RefusedException {
        Conditions conditions = assertion.getConditions();
        List<AudienceRestriction> restrictions = conditions == null ? List.of() : conditions.getAudienceRestrictions();
        List<String> audiences = restrictions.stream().flatMap(r -> r.getAudiences().stream())
                .map(a -> a.getURI()).toList();
        if (restrictions.isEmpty() || !restrictions.stream().allMatch(r -> r.getAudiences().stream()
                .anyMatch(a -> expect.spEntityId().equals(a.getURI())))) {
            throw refuse(LoginFailure.AUDIENCE_MISMATCH, "expected", expect.spEntityId(),
                    "received", audiences.isEmpty() ? null : String.join(" ", audiences));
        }
        NameID nameId = assertion.getSubject().getNameID();
        if (nameId.getSPNameQualifier() != null && !nameId.getSPNameQualifier().equals(expect.spEntityId())) {
            throw refuse(LoginFailure.AUDIENCE_MISMATCH, "expected", expect.spEntityId(),
                    "received", nameId.getSPNameQualifier(), "where", "NameID SPNameQualifier");
        }
    }

    /** 6. The bearer confirmation's Recipient (profiles 4.1.4.2) and the response's Destination (core 3.2.2) are our ACS. */
    private static SubjectConfirmationData checkRecipient(Response response, Assertion assertion, Expectations expect)
            throws RefusedException {
        SubjectConfirmationData bearer = bearer(assertion);
        if (bearer == null) {
            throw refuse(LoginFailure.ASSERTION_MALFORMED, "problem", "no bearer SubjectConfirmation with SubjectConfirmationData");
        }
        if (bearer.getRecipient() == null || !expect.acsUrls().contains(bearer.getRecipient())) {
            throw refuse(LoginFailure.RECIPIENT_MISMATCH, "expected", String.join(" ", expect.acsUrls()),
                    "received", bearer.getRecipient());
        }
        if (response.getDestination() != null && !expect.acsUrls().contains(response.getDestination())) {
            throw refuse(LoginFailure.DESTINATION_MISMATCH, "expected", String.join(" ", expect.acsUrls()),
                    "received", response.getDestination());
        }
        return bearer;
    }

    /** How long a verified assertion matters: until the later of its two ends, plus the skew (for the replay store). */
    private record Window(Instant keepUntil) {
    }

    /**
     * 7. The time window: Conditions NotBefore / NotOnOrAfter (core 2.5.1.2) and the bearer confirmation's
     * (core 2.4.1.2; profiles 4.1.4.2 require its NotOnOrAfter), each within the allowed skew.
     */
    private static Window checkTime(Assertion assertion, SubjectConfirmationData bearer, Duration skew, Instant now)
            throws RefusedException {
        Conditions conditions = assertion.getConditions();
        Instant notBefore = conditions.getNotBefore();
        Instant notOnOrAfter = conditions.getNotOnOrAfter();
        Instant bearerUntil = bearer.getNotOnOrAfter();
        if (notBefore == null || notOnOrAfter == null || bearerUntil == null) {
            throw refuse(LoginFailure.ASSERTION_MALFORMED, "problem",
                    "Conditions NotBefore and NotOnOrAfter and the bearer confirmation's NotOnOrAfter are required");
        }
        for (Instant start : new Instant[]{notBefore, bearer.getNotBefore()}) {
            if (start != null && start.isAfter(now.plus(skew))) {
                throw refuse(LoginFailure.ASSERTION_NOT_YET_VALID, "not_before", start.toString(), "now", now.toString(),
                        "allowed_skew_seconds", String.valueOf(skew.toSeconds()));
            }
        }
        Instant expiresAt = notOnOrAfter.isBefore(bearerUntil) ? notOnOrAfter : bearerUntil;
        if (!expiresAt.isAfter(now.minus(skew))) {
            throw refuse(LoginFailure.ASSERTION_EXPIRED, "not_on_or_after", expiresAt.toString(), "now", now.toString(),
                    "allowed_skew_seconds", String.valueOf(skew.toSeconds()));
        }
        for (AuthnStatement statement : assertion.getAuthnStatements()) {
            Instant sessionEnd = statement.getSessionNotOnOrAfter();
            if (sessionEnd != null && !sessionEnd.isAfter(now.minus(skew))) {
                throw refuse(LoginFailure.ASSERTION_EXPIRED, "session_not_on_or_after", sessionEnd.toString(), "now", now.toString(),
                        "allowed_skew_seconds", String.valueOf(skew.toSeconds()));
            }
        }
        Instant keepUntil = notOnOrAfter.isAfter(bearerUntil) ? notOnOrAfter : bearerUntil;
        return new Window(keepUntil.plus(skew));
    }

    /**
     * 8. InResponseTo (profiles 4.1.4.3): the response's and the bearer confirmation's agree, and name the
     * pending request; without one, only where unsolicited (IdP-initiated, profiles 4.1.5) responses are allowed.
     */
    private static String checkInResponseTo(Response response, SubjectConfirmationData bearer, Expectations expect,
                                            String pendingRequest) throws RefusedException {
        String inResponseTo = response.getInResponseTo();
        if (bearer.getInResponseTo() != null) {
            if (inResponseTo != null && !inResponseTo.equals(bearer.getInResponseTo())) {
                throw refuse(LoginFailure.IN_RESPONSE_TO_UNKNOWN, "response", inResponseTo,
                        "subject_confirmation", bearer.getInResponseTo());
            }
            inResponseTo = bearer.getInResponseTo();
        }
        if (inResponseTo == null) {
            if (!expect.allowUnsolicited()) {
                throw refuse(LoginFailure.UNSOLICITED_NOT_ALLOWED, "expected", "a response to a request from Gatehouse",
                        "received", "an IdP-initiated response");
            }
        } else if (!inResponseTo.equals(pendingRequest)) {
            throw refuse(LoginFailure.IN_RESPONSE_TO_UNKNOWN, "received", inResponseTo);
        }
        return inResponseTo;
    }

    private static SubjectConfirmationData bearer(Assertion assertion) {
        return assertion.getSubject() == null ? null : assertion.getSubject().getSubjectConfirmations().stream()
                .filter(c -> SubjectConfirmation.METHOD_BEARER.equals(c.getMethod()))
                .map(SubjectConfirmation::getSubjectConfirmationData).filter(d -> d != null).findFirst().orElse(null);
    }

    private static String bearerInResponseTo(Assertion assertion) {
        SubjectConfirmationData bearer = bearer(assertion);
        return bearer == null ? null : bearer.getInResponseTo();
    }

    private static Assertion decrypt(EncryptedAssertion encrypted, Credential key) throws RefusedException {
        if (key == null) {
            throw refuse(LoginFailure.DECRYPTION_FAILED, "problem", "the assertion is encrypted and the connection has no SP key");
        }
        Decrypter decrypter = new Decrypter(null, new StaticKeyInfoCredentialResolver(key),
                new ChainingEncryptedKeyResolver(List.of(new InlineEncryptedKeyResolver(),
                        new EncryptedElementTypeEncryptedKeyResolver(), new SimpleRetrievalMethodEncryptedKeyResolver())));
        decrypter.setRootInNewDocument(true);
        try {
            Assertion assertion = decrypter.decrypt(encrypted);
            String duplicate = duplicateId(assertion.getDOM(), new HashSet<>());
            if (duplicate != null) {
                throw refuse(LoginFailure.RESPONSE_MALFORMED, "problem", "the ID " + duplicate + " appears twice");
            }
            return assertion;
        } catch (org.opensaml.xmlsec.encryption.support.DecryptionException e) {
            throw refuse(LoginFailure.DECRYPTION_FAILED, "problem",
                    "the assertion could not be decrypted with the connection's SP key (encrypted for another key, or an algorithm that is not allowed)");
        }
    }

    private static ExplicitKeySignatureTrustEngine trustEngine(List<X509Certificate> certificates) {
        List<Credential> credentials = new ArrayList<>();
        for (X509Certificate certificate : certificates) {
            BasicX509Credential credential = new BasicX509Credential(certificate);
            credential.setUsageType(UsageType.SIGNING);
            credentials.add(credential);
        }
        return new ExplicitKeySignatureTrustEngine(new StaticCredentialResolver(credentials),
                DefaultSecurityConfigurationBootstrap.buildBasicInlineKeyInfoCredentialResolver());
    }

    /** Algorithms on the allowlist, and the SAML signature profile (one reference, to the parent's ID; known transforms). */
    private static void checkShape(Signature signature, String where, Expectations expect) throws RefusedException {
        Element dom = signature.getDOM();
        String canonicalization = firstAttribute(dom, "CanonicalizationMethod");
        if (!CANONICALIZATIONS.contains(canonicalization)) {
            throw refuse(LoginFailure.SIGNATURE_ALGORITHM_NOT_ALLOWED, "where", where, "received", canonicalization,
                    "expected", "exclusive or inclusive canonicalization without comments");
        }
        String method = firstAttribute(dom, "SignatureMethod");
        boolean sha1Method = RSA_SHA1.equals(method);
        if (method == null || !(SIGNATURE_ALGORITHMS.contains(method) || (sha1Method && expect.allowSha1()))) {
            throw refuse(LoginFailure.SIGNATURE_ALGORITHM_NOT_ALLOWED, "where", where, "received", method,
                    "expected", expect.allowSha1() ? "RSA or ECDSA with SHA-1 or better" : "RSA or ECDSA with SHA-256 or better");
        }
        NodeList digests = dom.getElementsByTagNameNS(DSIG, "DigestMethod");
        for (int i = 0; i < digests.getLength(); i++) {
            String digest = ((Element) digests.item(i)).getAttribute("Algorithm");
            if (!(DIGEST_ALGORITHMS.contains(digest) || (SHA1.equals(digest) && expect.allowSha1()))) {
                throw refuse(LoginFailure.SIGNATURE_ALGORITHM_NOT_ALLOWED, "where", where, "received", digest,
                        "expected", expect.allowSha1() ? "SHA-1 or better" : "SHA-256 or better");
            }
        }
        try {
            PROFILE.validate(signature);
        } catch (SignatureException e) {
            throw refuse(LoginFailure.SIGNATURE_INVALID, "where", where, "problem", "signature shape: " + e.getMessage());
        }
    }

    /**
     * The signature verifies with one of the connection's certificates. Their validity dates are not
     * enforced: the metadata pins them (IdPs such as ADFS keep signing with self-signed certificates
     * past their dates); the SSO overview warns about them instead.
     */
    private static void checkTrust(Signature signature, String where, ExplicitKeySignatureTrustEngine trust, Expectations expect)
            throws RefusedException {
        if (expect.certificates().isEmpty() || !trusted(signature, trust)) {
            throw refuse(LoginFailure.SIGNATURE_INVALID, "where", where,
                    "expected_certificates", String.join(" ", expect.certificates().stream().map(Certificates::sha256).toList()),
                    "received_certificate", keyInfoFingerprint(signature));
        }
    }

    private static boolean trusted(Signature signature, ExplicitKeySignatureTrustEngine trust) {
        try {
            return trust.validate(signature, new CriteriaSet(new UsageCriterion(UsageType.SIGNING)));
        } catch (org.opensaml.security.SecurityException | RuntimeException e) {
            // Santuario throws IllegalArgumentException for a SignatureValue that is not base64.
            return false;
        }
    }

    /**
     * OpenSAML's SAML signature profile, also allowing inclusive C14N 1.0 / 1.1 (without comments) as a
     * reference transform: Okta's SAML tester signs with C14N 1.1, which Santuario verifies.
     */
    private static final SAMLSignatureProfileValidator PROFILE = new SAMLSignatureProfileValidator() {
        @Override
        protected void validateTransforms(org.apache.xml.security.signature.Reference reference) throws SignatureException {
            try {
                var transforms = reference.getTransforms();
                if (transforms == null || transforms.getLength() > 2) {
                    throw new SignatureException("Invalid number of transforms");
                }
                for (int i = 0; i < transforms.getLength(); i++) {
                    String uri = transforms.item(i).getURI();
                    if (!uri.equals("http://www.w3.org/2000/09/xmldsig#enveloped-signature") && !CANONICALIZATIONS.contains(uri)) {
                        throw new SignatureException("Signature contained an invalid transform");
                    }
                }
            } catch (org.apache.xml.security.exceptions.XMLSecurityException e) {
                throw new SignatureException("Signature transforms unreadable", e);
            }
        }
    };

    /** The SHA-256 fingerprint of the certificate in the signature's KeyInfo, when it has one: for the admin only. */
    private static String keyInfoFingerprint(Signature signature) {
        try {
            if (signature.getKeyInfo() == null) {
                return "(no certificate in KeyInfo)";
            }
            List<X509Certificate> certificates = KeyInfoSupport.getCertificates(signature.getKeyInfo());
            return certificates.isEmpty() ? "(no certificate in KeyInfo)" : Certificates.sha256(certificates.get(0));
        } catch (java.security.cert.CertificateException | RuntimeException e) {
            return "(unreadable certificate in KeyInfo)";
        }
    }

    /** A rule of the verified assertion broken, or null. */
    private static String structuralProblem(Assertion assertion) {
        if (containsInstruction(assertion.getDOM())) {
            return "the assertion contains an XML processing instruction";
        }
        if (assertion.getID() == null || assertion.getID().isBlank() || assertion.getIssueInstant() == null) {
            return "the assertion has no ID or no IssueInstant";
        }
        if (assertion.getConditions() != null && assertion.getConditions().getDOM() != null) {
            // Read from the DOM: OpenSAML drops a condition element it has no class for.
            for (Node child = assertion.getConditions().getDOM().getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element condition && !(SAMLConstants.SAML20_NS.equals(condition.getNamespaceURI())
                        && UNDERSTOOD_CONDITIONS.contains(condition.getLocalName()))) {
                    return "the assertion has a condition Gatehouse does not understand: " + condition.getLocalName()
                            + (condition.hasAttributeNS(XSI, "type") ? " " + condition.getAttributeNS(XSI, "type") : "");
                }
            }
        }
        if (assertion.getSubject() == null || assertion.getSubject().getNameID() == null
                || text(assertion.getSubject().getNameID()).isBlank()) {
            return "the assertion has no NameID";
        }
        for (AttributeStatement statement : assertion.getAttributeStatements()) {
            for (Attribute attribute : statement.getAttributes()) {
                if (attribute.getName() == null || attribute.getName().isBlank()) {
                    return "an attribute has no name";
                }
            }
        }
        return null;
    }

    private static Map<String, List<String>> attributes(Assertion assertion) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (AttributeStatement statement : assertion.getAttributeStatements()) {
            for (Attribute attribute : statement.getAttributes()) {
                List<String> values = new ArrayList<>();
                for (XMLObject value : attribute.getAttributeValues()) {
                    if (value.getDOM() != null) {
                        String text = value.getDOM().getTextContent().strip();
                        if (!text.isEmpty()) {
                            values.add(text);
                        }
                    }
                }
                // Repeated attributes add up (Keycloak sends one Role attribute per role).
                out.merge(attribute.getName(), List.copyOf(values),
                        (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
            }
        }
        return out;
    }

    private static String text(NameID nameId) {
        return nameId.getDOM() != null ? nameId.getDOM().getTextContent().strip()
                : nameId.getValue() == null ? "" : nameId.getValue().strip();
    }

    private static boolean containsInstruction(Node node) {
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child.getNodeType() == Node.PROCESSING_INSTRUCTION_NODE) {
                return true;
            }
            if (child.getNodeType() == Node.ELEMENT_NODE && containsInstruction(child)) {
                return true;
            }
        }
        return false;
    }

    /** An {@code ID} attribute value found twice in the tree, or null. */
    private static String duplicateId(Element element, Set<String> seen) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Node attribute = attributes.item(i);
            String name = attribute.getLocalName() != null ? attribute.getLocalName() : attribute.getNodeName();
            if ((name.equals("ID") || name.equals("Id") || name.equals("AssertionID")) && !seen.add(attribute.getNodeValue())) {
                return attribute.getNodeValue();
            }
        }
        for (Node child = element.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element e) {
                String duplicate = duplicateId(e, seen);
                if (duplicate != null) {
                    return duplicate;
                }
            }
        }
        return null;
    }

    private static String firstAttribute(Element signature, String localName) {
        NodeList found = signature.getElementsByTagNameNS(DSIG, localName);
        return found.getLength() == 0 ? null : ((Element) found.item(0)).getAttribute("Algorithm");
    }

    private static String truncate(String value) {
        return value.length() > 300 ? value.substring(0, 300) + "…" : value;
    }

    private static RefusedException refuse(LoginFailure reason, String... pairs) {
        return new RefusedException(Refused.of(reason, pairs));
    }

    private static final class RefusedException extends Exception {
        final Refused refused;

        RefusedException(Refused refused) {
            super(null, null, false, false);
            this.refused = refused;
        }
    }
}
