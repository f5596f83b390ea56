package io.gatehouse.testing;

import io.gatehouse.saml.Certificates;
import io.gatehouse.saml.OpenSaml;
import org.opensaml.saml.common.SAMLObjectContentReference;
import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.Assertion;
import org.opensaml.saml.saml2.core.Attribute;
import org.opensaml.saml.saml2.core.AttributeStatement;
import org.opensaml.saml.saml2.core.AttributeValue;
import org.opensaml.saml.saml2.core.Audience;
import org.opensaml.saml.saml2.core.AudienceRestriction;
import org.opensaml.saml.saml2.core.AuthnContext;
import org.opensaml.saml.saml2.core.AuthnContextClassRef;
import org.opensaml.saml.saml2.core.AuthnStatement;
import org.opensaml.saml.saml2.core.Conditions;
import org.opensaml.saml.saml2.core.EncryptedAssertion;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.Response;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.Subject;
import org.opensaml.saml.saml2.core.SubjectConfirmation;
import org.opensaml.saml.saml2.core.SubjectConfirmationData;
import org.opensaml.saml.saml2.encryption.Encrypter;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.IDPSSODescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.SingleSignOnService;
import org.opensaml.core.xml.schema.XSString;
import org.opensaml.security.credential.UsageType;
import org.opensaml.security.x509.BasicX509Credential;
import org.opensaml.xmlsec.encryption.support.DataEncryptionParameters;
import org.opensaml.xmlsec.encryption.support.EncryptionConstants;
import org.opensaml.xmlsec.encryption.support.KeyEncryptionParameters;
import org.opensaml.xmlsec.keyinfo.KeyInfoSupport;
import org.opensaml.xmlsec.keyinfo.impl.X509KeyInfoGeneratorFactory;
import org.opensaml.xmlsec.signature.KeyInfo;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.Signer;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A SAML identity provider inside the tests: its own key pair and certificate, its metadata, and
 * responses built and signed with OpenSAML, each part of which a test can change.
 */
public final class TestSamlIdp {

    private static final Certificates.SpKey SHARED = Certificates.newSpKey("Test IdP", Instant.now(), Duration.ofDays(365));

    public final String entityId;
    public final BasicX509Credential credential;

    public TestSamlIdp(String entityId) {
        this(entityId, SHARED);
    }

    public TestSamlIdp(String entityId, Certificates.SpKey key) {
        OpenSaml.initialize();
        this.entityId = entityId;
        this.credential = new BasicX509Credential(key.certificate(), key.privateKey());
    }

    /** Another key pair (for rollover or untrusted-signer cases). */
    public static Certificates.SpKey newKey() {
        return Certificates.newSpKey("Test IdP " + UUID.randomUUID(), Instant.now(), Duration.ofDays(365));
    }

    public X509Certificate certificate() {
        return credential.getEntityCertificate();
    }

    /** IdP metadata listing this IdP's certificate and any more (rollover). */
    public String metadata(String ssoUrl, X509Certificate... more) {
        return metadata(ssoUrl, null, null, more);
    }

    /** IdP metadata with a SingleLogoutService at {@code sloUrl} in {@code sloBinding} (a binding URI). */
    public String metadata(String ssoUrl, String sloUrl, String sloBinding, X509Certificate... more) {
        EntityDescriptor entity = OpenSaml.build(EntityDescriptor.DEFAULT_ELEMENT_NAME);
        entity.setEntityID(entityId);
        IDPSSODescriptor idp = OpenSaml.build(IDPSSODescriptor.DEFAULT_ELEMENT_NAME);
        idp.addSupportedProtocol(SAMLConstants.SAML20P_NS);
        List<X509Certificate> certificates = new ArrayList<>(List.of(certificate()));
        certificates.addAll(List.of(more));
        for (X509Certificate certificate : certificates) {
            KeyDescriptor key = OpenSaml.build(KeyDescriptor.DEFAULT_ELEMENT_NAME);
            key.setUse(UsageType.SIGNING);
            KeyInfo info = OpenSaml.build(KeyInfo.DEFAULT_ELEMENT_NAME);
            try {
                KeyInfoSupport.addCertificate(info, certificate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            key.setKeyInfo(info);
            idp.getKeyDescriptors().add(key);
        }
        SingleSignOnService sso = OpenSaml.build(SingleSignOnService.DEFAULT_ELEMENT_NAME);
        sso.setBinding(SAMLConstants.SAML2_REDIRECT_BINDING_URI);
        sso.setLocation(ssoUrl);
        idp.getSingleSignOnServices().add(sso);
        if (sloUrl != null) {
            org.opensaml.saml.saml2.metadata.SingleLogoutService slo = OpenSaml.build(
                    org.opensaml.saml.saml2.metadata.SingleLogoutService.DEFAULT_ELEMENT_NAME);
            slo.setBinding(sloBinding);
            slo.setLocation(sloUrl);
            idp.getSingleLogoutServices().add(slo);
        }
        entity.getRoleDescriptors().add(idp);
        return OpenSaml.serialize(OpenSaml.marshall(entity));
    }

    public ResponseSpec response(String audience, String acsUrl) {
        return new ResponseSpec(audience, acsUrl);
    }

    /** One response; every field starts valid and can be changed. */
    public final class ResponseSpec {
        public String responseIssuer = entityId;
        public String assertionIssuer = entityId;
        public String audience;
        public String recipient;
        public String destination;
        public String inResponseTo;
        /** False: InResponseTo only on the bearer confirmation, not on the response (both are allowed). */
        public boolean inResponseToOnResponse = true;
        public SAMLVersion responseVersion = SAMLVersion.VERSION_20;
        public SAMLVersion assertionVersion = SAMLVersion.VERSION_20;
        /** The AuthnStatement's SessionNotOnOrAfter; null: none. */
        public Instant sessionNotOnOrAfter;
        /** Adds a ProxyRestriction-like condition of another namespace, which an SP cannot understand. */
        public boolean unknownCondition = false;
        public String nameId = "jane@acme.example";
        public String nameIdFormat = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
        public Map<String, List<String>> attributes = new LinkedHashMap<>();
        public Instant now = Instant.now();
        public Instant notBefore;
        public Instant notOnOrAfter;
        public String assertionId = "_a" + UUID.randomUUID().toString().replace("-", "");
        public String responseId = "_r" + UUID.randomUUID().toString().replace("-", "");
        public String status = StatusCode.SUCCESS;
        public boolean signAssertion = true;
        public boolean signResponse = false;
        public BasicX509Credential signer = credential;
        public String signatureAlgorithm = SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256;
        public String digestAlgorithm = SignatureConstants.ALGO_ID_DIGEST_SHA256;
        public X509Certificate encryptFor;
        public String sessionIndex = "_s" + UUID.randomUUID().toString().substring(0, 8);

        ResponseSpec(String audience, String acsUrl) {
            this.audience = audience;
            this.recipient = acsUrl;
            this.destination = acsUrl;
            attributes.put("email", List.of("jane@acme.example"));
            attributes.put("displayName", List.of("Jane Doe"));
        }

        public ResponseSpec with(java.util.function.Consumer<ResponseSpec> change) {
            change.accept(this);
            return this;
        }

        /** The response as XML text. */
        public String xml() {
            try {
                return OpenSaml.serialize(build());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** What goes into the SAMLResponse form field. */
        public String base64() {
            return Base64.getEncoder().encodeToString(xml().getBytes(StandardCharsets.UTF_8));
        }

        private org.w3c.dom.Element build() throws Exception {
            Instant start = notBefore != null ? notBefore : now.minusSeconds(60);
            Instant end = notOnOrAfter != null ? notOnOrAfter : now.plusSeconds(300);
            Assertion assertion = OpenSaml.build(Assertion.DEFAULT_ELEMENT_NAME);
            assertion.setID(assertionId);
            assertion.setVersion(assertionVersion);
            assertion.setIssueInstant(now);
            assertion.setIssuer(issuer(assertionIssuer));
            Subject subject = OpenSaml.build(Subject.DEFAULT_ELEMENT_NAME);
            NameID name = OpenSaml.build(NameID.DEFAULT_ELEMENT_NAME);
            name.setValue(nameId);
            name.setFormat(nameIdFormat);
            subject.setNameID(name);
            SubjectConfirmation confirmation = OpenSaml.build(SubjectConfirmation.DEFAULT_ELEMENT_NAME);
            confirmation.setMethod(SubjectConfirmation.METHOD_BEARER);
            SubjectConfirmationData data = OpenSaml.build(SubjectConfirmationData.DEFAULT_ELEMENT_NAME);
            data.setRecipient(recipient);
            data.setNotOnOrAfter(end);
            data.setInResponseTo(inResponseTo);
            confirmation.setSubjectConfirmationData(data);
            subject.getSubjectConfirmations().add(confirmation);
            assertion.setSubject(subject);
            Conditions conditions = OpenSaml.build(Conditions.DEFAULT_ELEMENT_NAME);
            conditions.setNotBefore(start);
            conditions.setNotOnOrAfter(end);
            AudienceRestriction restriction = OpenSaml.build(AudienceRestriction.DEFAULT_ELEMENT_NAME);
            Audience a = OpenSaml.build(Audience.DEFAULT_ELEMENT_NAME);
            a.setURI(audience);
            restriction.getAudiences().add(a);
            conditions.getAudienceRestrictions().add(restriction);
            if (unknownCondition) {
                // <saml2:Condition xsi:type="ext:MustUnderstand"/>: an extension condition (core 2.5.1.1).
                org.opensaml.core.xml.schema.XSAny custom = new org.opensaml.core.xml.schema.impl.XSAnyBuilder().buildObject(
                        new javax.xml.namespace.QName("urn:oasis:names:tc:SAML:2.0:assertion", "Condition", "saml2"),
                        new javax.xml.namespace.QName("urn:example:ext", "MustUnderstand", "ext"));
                @SuppressWarnings({"unchecked", "rawtypes"})
                java.util.List<Object> raw = (java.util.List) conditions.getConditions();
                raw.add(custom);
            }
            assertion.setConditions(conditions);
            AuthnStatement authn = OpenSaml.build(AuthnStatement.DEFAULT_ELEMENT_NAME);
            authn.setAuthnInstant(now);
            authn.setSessionIndex(sessionIndex);
            authn.setSessionNotOnOrAfter(sessionNotOnOrAfter);
            AuthnContext context = OpenSaml.build(AuthnContext.DEFAULT_ELEMENT_NAME);
            AuthnContextClassRef ref = OpenSaml.build(AuthnContextClassRef.DEFAULT_ELEMENT_NAME);
            ref.setURI("urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport");
            context.setAuthnContextClassRef(ref);
            authn.setAuthnContext(context);
            assertion.getAuthnStatements().add(authn);
            if (!attributes.isEmpty()) {
                AttributeStatement statement = OpenSaml.build(AttributeStatement.DEFAULT_ELEMENT_NAME);
                attributes.forEach((key, values) -> {
                    Attribute attribute = OpenSaml.build(Attribute.DEFAULT_ELEMENT_NAME);
                    attribute.setName(key);
                    for (String value : values) {
                        XSString v = (XSString) org.opensaml.core.xml.config.XMLObjectProviderRegistrySupport.getBuilderFactory()
                                .getBuilderOrThrow(XSString.TYPE_NAME).buildObject(AttributeValue.DEFAULT_ELEMENT_NAME, XSString.TYPE_NAME);
                        v.setValue(value);
                        attribute.getAttributeValues().add(v);
                    }
                    statement.getAttributes().add(attribute);
                });
                assertion.getAttributeStatements().add(statement);
            }
            if (signAssertion) {
                sign(assertion);
            }
            Response response = OpenSaml.build(Response.DEFAULT_ELEMENT_NAME);
            response.setID(responseId);
            response.setVersion(responseVersion);
            response.setIssueInstant(now);
            response.setDestination(destination);
            response.setInResponseTo(inResponseToOnResponse ? inResponseTo : null);
            if (responseIssuer != null) {
                response.setIssuer(issuer(responseIssuer));
            }
            Status s = OpenSaml.build(Status.DEFAULT_ELEMENT_NAME);
            StatusCode code = OpenSaml.build(StatusCode.DEFAULT_ELEMENT_NAME);
            code.setValue(status);
            s.setStatusCode(code);
            response.setStatus(s);
            if (encryptFor != null) {
                response.getEncryptedAssertions().add(encrypt(assertion));
            } else {
                response.getAssertions().add(assertion);
            }
            if (signResponse) {
                return sign(response);
            }
            return OpenSaml.marshall(response);
        }

        private org.w3c.dom.Element sign(SignableSAMLObject object) throws Exception {
            Signature signature = OpenSaml.build(Signature.DEFAULT_ELEMENT_NAME);
            signature.setSigningCredential(signer);
            signature.setSignatureAlgorithm(signatureAlgorithm);
            signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            X509KeyInfoGeneratorFactory keyInfo = new X509KeyInfoGeneratorFactory();
            keyInfo.setEmitEntityCertificate(true);
            signature.setKeyInfo(keyInfo.newInstance().generate(signer));
            object.setSignature(signature);
            ((SAMLObjectContentReference) signature.getContentReferences().get(0)).setDigestAlgorithm(digestAlgorithm);
            org.w3c.dom.Element element = OpenSaml.marshall(object);
            Signer.signObject(signature);
            return element;
        }

        private EncryptedAssertion encrypt(Assertion assertion) throws Exception {
            DataEncryptionParameters data = new DataEncryptionParameters();
            data.setAlgorithm(EncryptionConstants.ALGO_ID_BLOCKCIPHER_AES256_GCM);
            KeyEncryptionParameters key = new KeyEncryptionParameters();
            key.setEncryptionCredential(new BasicX509Credential(encryptFor));
            key.setAlgorithm(EncryptionConstants.ALGO_ID_KEYTRANSPORT_RSAOAEP);
            Encrypter encrypter = new Encrypter(data, key);
            encrypter.setKeyPlacement(Encrypter.KeyPlacement.INLINE);
            return encrypter.encrypt(assertion);
        }
    }

    private static Issuer issuer(String value) {
        Issuer issuer = OpenSaml.build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(value);
        return issuer;
    }

    /** The AuthnRequest in an HTTP-Redirect URL Gatehouse sent the browser to (its SAMLRequest, inflated). */
    public static org.opensaml.saml.saml2.core.AuthnRequest authnRequest(String location) {
        String value = null;
        for (String pair : java.net.URI.create(location).getRawQuery().split("&")) {
            if (pair.startsWith("SAMLRequest=")) {
                value = java.net.URLDecoder.decode(pair.substring(12), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
        inflater.setInput(java.util.Base64.getDecoder().decode(value));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && inflater.needsInput()) {
                    break;
                }
                out.write(buffer, 0, n);
            }
            return (org.opensaml.saml.saml2.core.AuthnRequest) OpenSaml.unmarshall(OpenSaml.parse(out.toByteArray()).getDocumentElement());
        } catch (Exception e) {
            throw new IllegalStateException("not an AuthnRequest: " + location, e);
        }
    }

    /** The query parameters of a redirect (decoded). */
    public static java.util.Map<String, String> query(String location) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String pair : java.net.URI.create(location).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            out.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }
}
