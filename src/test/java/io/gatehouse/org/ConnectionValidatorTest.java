package io.gatehouse.org;

import io.gatehouse.platform.Problem.FieldError;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectionValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final ConnectionValidator production = new ConnectionValidator(false);
    private final ConnectionValidator development = new ConnectionValidator(true);

    private static ConnectionRequest oidc(String issuer) {
        return new ConnectionRequest("oidc", null, null, null, "secret", null, null, null,
                new ConnectionSettings(null, "client", issuer, null, List.of("openid"), null, null, null, null, null, null, null, null, null));
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void httpsIssuerIsFine() {
        assertEquals(List.of(), production.validateCreate(ConnectionType.OIDC, oidc("https://idp.example.com"), NOW));
    }

    @Test
    void plainHttpIsRefusedOutsideDevAndTest() {
        assertEquals(List.of("issuer"), fields(production.validateCreate(ConnectionType.OIDC, oidc("http://idp.example.com"), NOW)));
    }

    @Test
    void plainHttpIsAllowedInDevAndTest() {
        assertEquals(List.of(), development.validateCreate(ConnectionType.OIDC, oidc("http://127.0.0.1:8089/default"), NOW));
    }

    @Test
    void credentialsInUrlAreRefused() {
        assertEquals(List.of("issuer"), fields(production.validateCreate(ConnectionType.OIDC, oidc("https://user:pw@idp.example.com"), NOW)));
    }

    @Test
    void oidcNeedsIssuerOrDiscoveryUrl() {
        assertEquals(List.of("issuer"), fields(production.validateCreate(ConnectionType.OIDC, oidc(null), NOW)));
    }

    @Test
    void unknownTypeIsReported() {
        List<FieldError> errors = new java.util.ArrayList<>();
        assertEquals(null, ConnectionValidator.typeOf("ldap", errors));
        assertEquals(List.of("type"), fields(errors));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        ConnectionRequest request = new ConnectionRequest("azure-ad", "", null, null, null, Instant.parse("2020-01-01T00:00:00Z"),
                null, null, new ConnectionSettings("common", "not-a-guid", "https://x.example.com", null, null, null, null, null,
                null, null, null, null, null, null));
        List<String> fields = fields(production.validateCreate(ConnectionType.AZURE_AD, request, NOW));
        assertTrue(fields.containsAll(List.of("name", "tenant_id", "client_id", "client_secret",
                "client_secret_expires_at", "issuer")), fields.toString());
    }
}
