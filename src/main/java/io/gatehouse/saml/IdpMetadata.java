package io.gatehouse.saml;

import io.gatehouse.org.SamlIdp;
import org.opensaml.core.xml.XMLObject;
import org.opensaml.saml.common.xml.SAMLConstants;
import org.opensaml.saml.saml2.metadata.EntitiesDescriptor;
import org.opensaml.saml.saml2.metadata.EntityDescriptor;
import org.opensaml.saml.saml2.metadata.IDPSSODescriptor;
import org.opensaml.saml.saml2.metadata.KeyDescriptor;
import org.opensaml.saml.saml2.metadata.SingleLogoutService;
import org.opensaml.saml.saml2.metadata.SingleSignOnService;
import org.opensaml.security.credential.UsageType;
import org.opensaml.xmlsec.keyinfo.KeyInfoSupport;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what Gatehouse keeps of an IdP's metadata ({@link SamlIdp}): its entity ID, where to send
 * AuthnRequests (HTTP-Redirect when the IdP offers it, else HTTP-POST), where single logout goes, and
 * every certificate it signs with (several during a rollover).
 */
public final class IdpMetadata {

    private IdpMetadata() {
    }

    /** The kept certificates, parsed: what signatures are checked against. */
    public static List<X509Certificate> certificates(SamlIdp idp) {
        return idp.certificates().stream().map(IdpMetadata::parse).toList();
    }

    private static X509Certificate parse(SamlIdp.Certificate certificate) {
        try {
            return Certificates.parse(certificate.pem());
        } catch (CertificateException e) {
            throw new IllegalStateException("stored certificate is unreadable", e);
        }
    }

    private static SamlIdp.Certificate certificate(X509Certificate certificate) {
        return new SamlIdp.Certificate(Certificates.pem(certificate), Certificates.sha256(certificate),
                certificate.getSubjectX500Principal().getName(), certificate.getNotAfter().toInstant());
    }

    /** Metadata that cannot be used, with a message for the admin; {@code choices} when an entity must be picked. */
    public static final class Invalid extends Exception {
        private final List<String> choices;

        Invalid(String message, List<String> choices) {
            super(message);
            this.choices = choices;
        }

        Invalid(String message) {
            this(message, List.of());
        }

        public List<String> choices() {
            return choices;
        }
    }

    /**
     * Reads IdP metadata: an {@code EntityDescriptor}, or an {@code EntitiesDescriptor} from which
     * {@code entityId} picks one (needed when it holds several IdPs).
     */
    public static SamlIdp parse(byte[] xml, String entityId) throws Invalid {
        XMLObject root;
        try {
            root = OpenSaml.unmarshall(OpenSaml.parse(xml).getDocumentElement());
        } catch (OpenSaml.XmlRejected e) {
            throw new Invalid("The metadata is not usable XML: " + e.getMessage() + ".");
        }
        List<EntityDescriptor> idps = new ArrayList<>();
        collect(root, idps);
        if (idps.isEmpty()) {
            throw new Invalid(root instanceof EntityDescriptor || root instanceof EntitiesDescriptor
                    ? "The metadata describes no SAML 2.0 identity provider (no IDPSSODescriptor)."
                    : "The document is not SAML metadata (expected an EntityDescriptor or EntitiesDescriptor).");
        }
        EntityDescriptor chosen;
        if (entityId != null) {
            chosen = idps.stream().filter(e -> entityId.equals(e.getEntityID())).findFirst()
                    .orElseThrow(() -> new Invalid("The metadata has no identity provider with entity ID " + entityId + ".",
                            idps.stream().map(EntityDescriptor::getEntityID).toList()));
        } else if (idps.size() > 1) {
            throw new Invalid("The metadata describes " + idps.size() + " identity providers; give idp_entity_id to pick one.",
                    idps.stream().map(EntityDescriptor::getEntityID).toList());
        } else {
            chosen = idps.get(0);
        }
        return of(chosen);
    }

    public static SamlIdp parse(String xml, String entityId) throws Invalid {
        return parse(xml.getBytes(StandardCharsets.UTF_8), entityId);
    }

    private static void collect(XMLObject node, List<EntityDescriptor> into) {
        if (node instanceof EntityDescriptor entity) {
            if (entity.getIDPSSODescriptor(SAMLConstants.SAML20P_NS) != null) {
                into.add(entity);
            }
        } else if (node instanceof EntitiesDescriptor group) {
            group.getEntityDescriptors().forEach(e -> collect(e, into));
            group.getEntitiesDescriptors().forEach(g -> collect(g, into));
        }
    }

    private static SamlIdp of(EntityDescriptor entity) throws Invalid {
        if (entity.getEntityID() == null || entity.getEntityID().isBlank()) {
            throw new Invalid("The identity provider has no entityID.");
        }
        IDPSSODescriptor idp = entity.getIDPSSODescriptor(SAMLConstants.SAML20P_NS);
        SingleSignOnService sso = pick(idp.getSingleSignOnServices(), SAMLConstants.SAML2_REDIRECT_BINDING_URI)
                .or(() -> pick(idp.getSingleSignOnServices(), SAMLConstants.SAML2_POST_BINDING_URI)).orElse(null);
        if (sso == null || sso.getLocation() == null) {
            throw new Invalid("The identity provider has no SingleSignOnService with the HTTP-Redirect or HTTP-POST binding.");
        }
        // Single logout: HTTP-Redirect when offered, else HTTP-POST (SOAP and Artifact are not spoken).
        var slo = pickLogout(idp.getSingleLogoutServices(), SAMLConstants.SAML2_REDIRECT_BINDING_URI)
                .or(() -> pickLogout(idp.getSingleLogoutServices(), SAMLConstants.SAML2_POST_BINDING_URI)).orElse(null);
        Map<String, SamlIdp.Certificate> certificates = new LinkedHashMap<>();
        for (KeyDescriptor key : idp.getKeyDescriptors()) {
            if (key.getUse() == UsageType.ENCRYPTION || key.getKeyInfo() == null) {
                continue;
            }
            try {
                for (X509Certificate certificate : KeyInfoSupport.getCertificates(key.getKeyInfo())) {
                    SamlIdp.Certificate c = certificate(certificate);
                    certificates.putIfAbsent(c.sha256Fingerprint(), c);
                }
            } catch (CertificateException | RuntimeException e) {
                throw new Invalid("A signing certificate in the metadata cannot be read.");
            }
        }
        if (certificates.isEmpty()) {
            throw new Invalid("The identity provider lists no signing certificate.");
        }
        return new SamlIdp(entity.getEntityID(), sso.getLocation(), sso.getBinding(), slo == null ? null : slo.getLocation(),
                List.copyOf(certificates.values()), slo == null ? null : slo.getBinding(),
                slo == null ? null : slo.getResponseLocation(), Boolean.TRUE.equals(idp.getWantAuthnRequestsSigned()));
    }

    private static java.util.Optional<SingleLogoutService> pickLogout(List<SingleLogoutService> services, String binding) {
        return services.stream().filter(s -> binding.equals(s.getBinding()) && s.getLocation() != null).findFirst();
    }

    private static java.util.Optional<SingleSignOnService> pick(List<SingleSignOnService> services, String binding) {
        return services.stream().filter(s -> binding.equals(s.getBinding())).findFirst();
    }
}
