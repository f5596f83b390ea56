package io.gatehouse.saml;

import org.opensaml.saml.common.SAMLVersion;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.core.AuthnRequest;
import org.opensaml.saml.common.SignableSAMLObject;
import org.opensaml.saml.saml2.core.Issuer;
import org.opensaml.saml.saml2.core.LogoutRequest;
import org.opensaml.saml.saml2.core.LogoutResponse;
import org.opensaml.saml.saml2.core.NameID;
import org.opensaml.saml.saml2.core.SessionIndex;
import org.opensaml.saml.saml2.core.Status;
import org.opensaml.saml.saml2.core.StatusCode;
import org.opensaml.saml.saml2.core.NameIDPolicy;
import org.opensaml.saml.saml2.metadata.AssertionConsumerService;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.NameIDFormat;
import org.opensaml.saml.saml2.metadata.SPSSODescriptor;
import org.opensaml.saml.saml2.metadata.SingleLogoutService;
import org.opensaml.security.credential.Credential;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.crypto.XMLSigningUtil;
import org.opensaml.xmlsec.keyinfo.KeyInfoSupport;
import org.opensaml.xmlsec.signature.KeyInfo;
import org.opensaml.xmlsec.signature.Signature;
import org.opensaml.xmlsec.signature.support.SignatureConstants;
import org.opensaml.xmlsec.signature.support.SignatureException;
import org.opensaml.xmlsec.signature.support.Signer;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Gatehouse as a SAML service provider: its metadata, and its AuthnRequests and logout messages in both bindings. Pure. */
public final class ServiceProvider {

    /** The signature algorithm of signed AuthnRequests. */
    public static final String SIGNATURE_ALGORITHM = SignatureConstants.ALGO_ID_SIGNATURE_RSA_SHA256;

    private static final List<String> NAME_ID_FORMATS = List.of(
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private ServiceProvider() {
    }

    /** A new message ID: 160 random bits, hex, starting with a letter as xs:ID requires. */
    public static String newId() {
        return "_" + java.util.HexFormat.of().formatHex(random(20));
    }

    /** A new opaque RelayState (never a URL): 192 random bits, base64url. */
    public static String newRelayState() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random(24));
    }

    static byte[] random(int bytes) {
        byte[] out = new byte[bytes];
        RANDOM.nextBytes(out);
        return out;
    }

    /**
     * The SP metadata of one org (one connection): entity ID, every ACS URL (the first is the default), the
     * Single Logout service in both bindings, NameID formats, and the certificate (signing and encryption).
     */
    public static String metadata(String entityId, List<String> acsUrls, String sloUrl, X509Certificate certificate,
                                  boolean signsRequests, String nameIdFormat) {
        EntityDescriptor entity = OpenSaml.build(EntityDescriptor.DEFAULT_ELEMENT_NAME);
        entity.setEntityID(entityId);
        SPSSODescriptor sp = OpenSaml.build(SPSSODescriptor.DEFAULT_ELEMENT_NAME);
        sp.addSupportedProtocol(SAMLConstants.SAML20P_NS);
        sp.setAuthnRequestsSigned(signsRequests);
        sp.setWantAssertionsSigned(true);
        // Logout messages are always signed (SAML profiles 4.4.3.1), so the signing certificate is always listed.
        sp.getKeyDescriptors().add(keyDescriptor(certificate, UsageType.SIGNING));
        sp.getKeyDescriptors().add(keyDescriptor(certificate, UsageType.ENCRYPTION));
        for (String binding : List.of(SAMLConstants.SAML2_REDIRECT_BINDING_URI, SAMLConstants.SAML2_POST_BINDING_URI)) {
            SingleLogoutService slo = OpenSaml.build(SingleLogoutService.DEFAULT_ELEMENT_NAME);
            slo.setBinding(binding);
            slo.setLocation(sloUrl);
            sp.getSingleLogoutServices().add(slo);
        }
        for (String format : nameIdFormat != null ? List.of(nameIdFormat) : NAME_ID_FORMATS) {
            NameIDFormat f = OpenSaml.build(NameIDFormat.DEFAULT_ELEMENT_NAME);
            f.setURI(format);
            sp.getNameIDFormats().add(f);
        }
        for (int i = 0; i < acsUrls.size(); i++) {
            AssertionConsumerService acs = OpenSaml.build(AssertionConsumerService.DEFAULT_ELEMENT_NAME);
            acs.setBinding(SAMLConstants.SAML2_POST_BINDING_URI);
            acs.setLocation(acsUrls.get(i));
            acs.setIndex(i);
            acs.setIsDefault(i == 0);
            sp.getAssertionConsumerServices().add(acs);
        }
        entity.getRoleDescriptors().add(sp);
        return OpenSaml.serialize(OpenSaml.marshall(entity));
    }

    private static KeyDescriptor keyDescriptor(X509Certificate certificate, UsageType use) {
        KeyDescriptor descriptor = OpenSaml.build(KeyDescriptor.DEFAULT_ELEMENT_NAME);
        descriptor.setUse(use);
        KeyInfo keyInfo = OpenSaml.build(KeyInfo.DEFAULT_ELEMENT_NAME);
        try {
            KeyInfoSupport.addCertificate(keyInfo, certificate);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        descriptor.setKeyInfo(keyInfo);
        return descriptor;
    }

    /** What an AuthnRequest needs. */
    public record Request(String id, String spEntityId, String acsUrl, String destination, String nameIdFormat, Instant now) {
    }

    private static AuthnRequest authnRequest(Request r) {
        AuthnRequest request = OpenSaml.build(AuthnRequest.DEFAULT_ELEMENT_NAME);
        request.setID(r.id());
        request.setVersion(SAMLVersion.VERSION_20);
        request.setIssueInstant(r.now());
        request.setDestination(r.destination());
        request.setAssertionConsumerServiceURL(r.acsUrl());
        request.setProtocolBinding(SAMLConstants.SAML2_POST_BINDING_URI);
        request.setIssuer(issuer(r.spEntityId()));
        NameIDPolicy policy = OpenSaml.build(NameIDPolicy.DEFAULT_ELEMENT_NAME);
        policy.setAllowCreate(true);
        if (r.nameIdFormat() != null) {
            policy.setFormat(r.nameIdFormat());
        }
        request.setNameIDPolicy(policy);
        return request;
    }

    /**
     * The HTTP-Redirect binding of an AuthnRequest: deflated and base64-encoded in the query, with
     * RelayState; signed over the query string (SAMLRequest, RelayState, SigAlg) when a key is given.
     */
    public static String redirectUrl(Request r, String relayState, Credential signingKey) {
        return redirectUrl(r.destination(), "SAMLRequest", authnRequest(r), relayState, signingKey);
    }

    /** The HTTP-POST binding of an AuthnRequest (enveloped-signed when a key is given), base64-encoded. */
    public static String postValue(Request r, Credential signingKey) {
        return postValue(authnRequest(r), signingKey);
    }

    /**
     * The HTTP-Redirect binding (SAML bindings 3.4) of any message: deflated and base64-encoded in the
     * query parameter {@code field} ({@code SAMLRequest} or {@code SAMLResponse}), with RelayState when
     * there is one; signed over the query string (field, RelayState, SigAlg) when a key is given.
     */
    public static String redirectUrl(String destination, String field, SignableSAMLObject message, String relayState,
                                     Credential signingKey) {
        String xml = OpenSaml.serialize(OpenSaml.marshall(message));
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(deflated, new Deflater(Deflater.DEFLATED, true))) {
            out.write(xml.getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        StringBuilder query = new StringBuilder(field).append('=')
                .append(encode(Base64.getEncoder().encodeToString(deflated.toByteArray())));
        if (relayState != null) {
            query.append("&RelayState=").append(encode(relayState));
        }
        if (signingKey != null) {
            query.append("&SigAlg=").append(encode(SIGNATURE_ALGORITHM));
            try {
                byte[] signature = XMLSigningUtil.signWithURI(signingKey, SIGNATURE_ALGORITHM,
                        query.toString().getBytes(StandardCharsets.UTF_8));
                query.append("&Signature=").append(encode(Base64.getEncoder().encodeToString(signature)));
            } catch (org.opensaml.security.SecurityException e) {
                throw new IllegalStateException("could not sign the " + message.getElementQName().getLocalPart(), e);
            }
        }
        return destination + (destination.contains("?") ? "&" : "?") + query;
    }

    /** The HTTP-POST binding (SAML bindings 3.5) of any message, enveloped-signed when a key is given, base64-encoded. */
    public static String postValue(SignableSAMLObject message, Credential signingKey) {
        Signature signature = null;
        if (signingKey != null) {
            signature = OpenSaml.build(Signature.DEFAULT_ELEMENT_NAME);
            signature.setSigningCredential(signingKey);
            signature.setSignatureAlgorithm(SIGNATURE_ALGORITHM);
            signature.setCanonicalizationAlgorithm(SignatureConstants.ALGO_ID_C14N_EXCL_OMIT_COMMENTS);
            message.setSignature(signature);
            ((org.opensaml.saml.common.SAMLObjectContentReference) signature.getContentReferences().get(0))
                    .setDigestAlgorithm(SignatureConstants.ALGO_ID_DIGEST_SHA256);
        }
        var element = OpenSaml.marshall(message);
        if (signature != null) {
            try {
                Signer.signObject(signature);
            } catch (SignatureException e) {
                throw new IllegalStateException("could not sign the " + message.getElementQName().getLocalPart(), e);
            }
        }
        return Base64.getEncoder().encodeToString(OpenSaml.serialize(element).getBytes(StandardCharsets.UTF_8));
    }

    /** The NameID a session was signed in with, as the IdP sent it: what a LogoutRequest names. */
    public record Subject(String value, String format, String nameQualifier, String spNameQualifier, String sessionIndex) {
    }

    /** A LogoutRequest (SAML core 3.7.1) from the SP for one of its sessions at the IdP. */
    public static LogoutRequest logoutRequest(String id, String spEntityId, String destination, Subject subject, Instant now,
                                              Instant notOnOrAfter) {
        LogoutRequest request = OpenSaml.build(LogoutRequest.DEFAULT_ELEMENT_NAME);
        request.setID(id);
        request.setVersion(SAMLVersion.VERSION_20);
        request.setIssueInstant(now);
        request.setNotOnOrAfter(notOnOrAfter);
        request.setDestination(destination);
        request.setReason("urn:oasis:names:tc:SAML:2.0:logout:user");
        request.setIssuer(issuer(spEntityId));
        NameID nameId = OpenSaml.build(NameID.DEFAULT_ELEMENT_NAME);
        nameId.setValue(subject.value());
        nameId.setFormat(subject.format());
        nameId.setNameQualifier(subject.nameQualifier());
        nameId.setSPNameQualifier(subject.spNameQualifier());
        request.setNameID(nameId);
        if (subject.sessionIndex() != null) {
            SessionIndex index = OpenSaml.build(SessionIndex.DEFAULT_ELEMENT_NAME);
            index.setValue(subject.sessionIndex());
            request.getSessionIndexes().add(index);
        }
        return request;
    }

    /** A LogoutResponse (SAML core 3.7.2) from the SP, answering the IdP's request with a top-level status. */
    public static LogoutResponse logoutResponse(String id, String spEntityId, String destination, String inResponseTo,
                                                String statusCode, Instant now) {
        LogoutResponse response = OpenSaml.build(LogoutResponse.DEFAULT_ELEMENT_NAME);
        response.setID(id);
        response.setVersion(SAMLVersion.VERSION_20);
        response.setIssueInstant(now);
        response.setDestination(destination);
        response.setInResponseTo(inResponseTo);
        response.setIssuer(issuer(spEntityId));
        Status status = OpenSaml.build(Status.DEFAULT_ELEMENT_NAME);
        StatusCode code = OpenSaml.build(StatusCode.DEFAULT_ELEMENT_NAME);
        code.setValue(statusCode);
        status.setStatusCode(code);
        response.setStatus(status);
        return response;
    }

    private static Issuer issuer(String entityId) {
        Issuer issuer = OpenSaml.build(Issuer.DEFAULT_ELEMENT_NAME);
        issuer.setValue(entityId);
        return issuer;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
