package io.gatehouse.org;

import java.time.Instant;
import java.util.UUID;

/**
 * A SAML connection as stored, for the SAML endpoints: its settings, the IdP values read from its
 * metadata (null until metadata arrives), and its SP certificate. The SP private key is read apart,
 * through {@link ConnectionService#spPrivateKey}; {@code updatedAt} tells whether a copy is current.
 */
public record SamlConnectionData(UUID id, UUID orgId, String orgCode, boolean enabled, boolean isDefault,
                                 ConnectionSettings settings, SamlIdp idp, String spCertificatePem, Instant updatedAt) {
}
