package io.gatehouse.org;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a connection type as its wire name ({@code azure-ad}, {@code oidc}, {@code saml}). */
@Converter(autoApply = true)
public class ConnectionTypeConverter implements AttributeConverter<ConnectionType, String> {

    @Override
    public String convertToDatabaseColumn(ConnectionType type) {
        return type == null ? null : type.toString();
    }

    @Override
    public ConnectionType convertToEntityAttribute(String value) {
        return value == null ? null : ConnectionType.fromWire(value);
    }
}
