package io.gatehouse.org;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/** The kinds of identity provider a connection can be. */
public enum ConnectionType {
    AZURE_AD("azure-ad"),
    OIDC("oidc"),
    SAML("saml");

    private final String wire;

    ConnectionType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String toString() {
        return wire;
    }

    @JsonCreator
    public static ConnectionType fromWire(String value) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown connection type"));
    }

    /** Whether this type signs in through OpenID Connect (and so has a client ID and secret). */
    public boolean isOidc() {
        return this != SAML;
    }
}
