package io.gatehouse.org;

import java.time.Instant;
import java.util.List;

/**
 * Creates a connection, or (with {@code PATCH}) changes the fields it gives; absent fields stay as
 * they are. Which fields a type accepts is checked by {@link ConnectionValidator}.
 */
public record ConnectionRequest(
        String type,
        String name,
        Boolean enabled,
        Boolean isDefault,
        String tenantId,
        String clientId,
        String clientSecret,
        Instant clientSecretExpiresAt,
        String issuer,
        String discoveryUrl,
        List<String> scopes,
        ClaimMapping claimMapping,
        String metadataUrl,
        String metadataXml,
        String idpEntityId,
        Boolean allowIdpInitiated,
        Boolean signRequests,
        String nameIdFormat,
        ClaimMapping attributeMapping,
        String spEntityId,
        String acsUrl,
        Boolean allowSha1) {
}
