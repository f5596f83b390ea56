package io.gatehouse.org;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import java.time.Instant;

/**
 * Creates a connection, or (with {@code PATCH}) changes the fields it gives; absent fields stay as
 * they are. Its non-secret settings are the stored {@link ConnectionSettings}, given at the top level
 * of the body beside the fields that are not stored as they come (the secret, the metadata XML).
 * Which fields a type accepts is checked by {@link ConnectionValidator}.
 *
 * @param idpEntityId picks the IdP inside metadata that describes several
 */
public record ConnectionRequest(
        String type,
        String name,
        Boolean enabled,
        Boolean isDefault,
        String clientSecret,
        Instant clientSecretExpiresAt,
        String metadataXml,
        String idpEntityId,
        @JsonUnwrapped ConnectionSettings settings) {

    public ConnectionRequest {
        settings = settings == null ? ConnectionSettings.EMPTY : settings;
    }

    /** A new connection of {@code type} with these settings, its client secret (OIDC) or metadata XML (SAML). */
    public static ConnectionRequest toCreate(String type, ConnectionSettings settings, String clientSecret,
                                             Instant clientSecretExpiresAt, String metadataXml) {
        return new ConnectionRequest(type, null, null, null, clientSecret, clientSecretExpiresAt, metadataXml, null, settings);
    }

    /** A change of the name (when given) and of the settings given. */
    public static ConnectionRequest toChange(String name, ConnectionSettings settings) {
        return new ConnectionRequest(null, name, null, null, null, null, null, null, settings);
    }

    /** Enables or disables the connection. */
    public static ConnectionRequest toEnable(boolean enabled) {
        return new ConnectionRequest(null, null, enabled, null, null, null, null, null, null);
    }

    /** Makes the connection the org's default. */
    public static ConnectionRequest toMakeDefault() {
        return new ConnectionRequest(null, null, null, true, null, null, null, null, null);
    }

    /** A new client secret, and when it expires (null: unknown). */
    public static ConnectionRequest toReplaceSecret(String clientSecret, Instant expiresAt) {
        return new ConnectionRequest(null, null, null, null, clientSecret, expiresAt, null, null, null);
    }
}
