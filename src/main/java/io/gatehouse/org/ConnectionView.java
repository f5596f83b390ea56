package io.gatehouse.org;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.time.Instant;
import java.util.UUID;

/**
 * A connection as the API shows it: its settings, whether a client secret is set and when it expires,
 * but never the secret itself.
 */
public record ConnectionView(UUID id, ConnectionType type, String name, boolean enabled, boolean isDefault,
                             @JsonUnwrapped ConnectionSettings settings, boolean hasClientSecret,
                             Instant clientSecretExpiresAt, Instant createdAt, Instant updatedAt) {

    static ConnectionView of(Connection c) {
        return new ConnectionView(c.getId(), c.getType(), c.getName(), c.isEnabled(), c.isDefault(), c.getSettings(),
                c.getClientSecretCiphertext() != null, c.getClientSecretExpiresAt(), c.getCreatedAt(), c.getUpdatedAt());
    }
}
