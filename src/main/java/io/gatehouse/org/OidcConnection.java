package io.gatehouse.org;

import java.time.Instant;
import java.util.UUID;

/**
 * An OIDC connection (azure-ad or oidc) with its client secret in the clear: only for building the
 * OIDC client configuration, never for a response or a log.
 */
public record OidcConnection(UUID id, UUID orgId, String orgCode, ConnectionType type, ConnectionSettings settings,
                             String clientSecret, Instant clientSecretExpiresAt, Instant updatedAt) {

    @Override
    public String toString() {
        return "OidcConnection[" + id + ", org " + orgCode + ", " + type + "]";
    }
}
