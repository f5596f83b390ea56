package io.gatehouse.org;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.time.Instant;
import java.util.UUID;

/**
 * A connection as the API shows it: its settings, whether a client secret is set and when it expires,
 * but never the secret itself.
 */
@com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
public record ConnectionView(UUID id, ConnectionType type, String name, boolean enabled, boolean isDefault,
                             @JsonUnwrapped ConnectionSettings settings, boolean hasClientSecret,
                             Instant clientSecretExpiresAt, SamlIdpView idp, Instant metadataUpdatedAt,
                             String spCertificate, Instant createdAt, Instant updatedAt, boolean draft, Instant testedAt,
                             Instant activatedAt, Boolean activatedUntested) {

    static ConnectionView of(Connection c) {
        return new ConnectionView(c.getId(), c.getType(), c.getName(), c.isEnabled(), c.isDefault(), c.getSettings(),
                c.getClientSecretCiphertext() != null, c.getClientSecretExpiresAt(),
                c.getSamlIdp() == null ? null : SamlIdpView.of(c.getSamlIdp()), c.getSamlMetadataUpdatedAt(),
                c.getSpCertificate(), c.getCreatedAt(), c.getUpdatedAt(), c.isDraft(), c.getTestedAt(), c.getActivatedAt(),
                c.getActivatedAt() == null ? null : c.isActivatedUntested());
    }

    /** SAML: what the IdP's metadata says, read-only (the certificates without their PEM). */
    public record SamlIdpView(String entityId, String ssoUrl, String ssoBinding, String sloUrl, String sloBinding,
                              java.util.List<CertificateView> signingCertificates) {
        static SamlIdpView of(SamlIdp idp) {
            return new SamlIdpView(idp.entityId(), idp.ssoUrl(), idp.ssoBinding(), idp.sloUrl(),
                    idp.sloUrl() == null ? null : idp.logoutBinding(), idp.certificates().stream()
                    .map(c -> new CertificateView(c.sha256Fingerprint(), c.subject(), c.notAfter())).toList());
        }
    }

    /** One IdP signing certificate as admins compare it with their IdP's page. */
    public record CertificateView(String sha256Fingerprint, String subject, Instant notAfter) {
    }
}
