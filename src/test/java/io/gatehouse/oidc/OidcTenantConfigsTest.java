package io.gatehouse.oidc;

import io.gatehouse.org.ConnectionSettings;
import io.gatehouse.org.ConnectionType;
import io.gatehouse.org.OidcConnection;
import io.quarkus.oidc.OidcTenantConfig;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OidcTenantConfigsTest {

    private static final OidcTenantConfigs.Proxy PROXY = new OidcTenantConfigs.Proxy("127.0.0.1", 3128);

    private static final UUID ID = UUID.randomUUID();
    private static final String KEY = "k".repeat(43);

    private static ConnectionSettings settings(String tenant, String issuer, String discovery) {
        return new ConnectionSettings(tenant, "client-1", issuer, discovery, List.of("openid", "email"), null,
                null, null, null, null, null, null, null, null);
    }

    private static final UUID ORG = UUID.randomUUID();

    private static OidcConnection azure(String secret, Instant updated) {
        return new OidcConnection(ID, ORG, "acme", ConnectionType.AZURE_AD,
                settings("3f2b1c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d", null, null), secret, null, updated);
    }

    @Test
    void azureAuthorityIsDerivedFromTheTenant() {
        OidcTenantConfig config = OidcTenantConfigs.build(azure("s", Instant.EPOCH), "/e", KEY, PROXY);
        assertEquals("https://login.microsoftonline.com/3f2b1c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d/v2.0", config.authServerUrl().orElseThrow());
    }

    @Test
    void discoveryOverrideWins() {
        OidcConnection c = new OidcConnection(ID, UUID.randomUUID(), "acme", ConnectionType.AZURE_AD,
                settings("3f2b1c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d", null, "http://127.0.0.1:9/t/.well-known/openid-configuration"),
                "s", null, Instant.EPOCH);
        assertEquals("http://127.0.0.1:9/t", OidcTenantConfigs.build(c, "/e", KEY, PROXY).authServerUrl().orElseThrow());
    }

    @Test
    void codeFlowWithPkceNonceAndOneRedirectUri() {
        OidcTenantConfig config = OidcTenantConfigs.build(azure("s", Instant.EPOCH), "/e", KEY, PROXY);
        assertTrue(config.authentication().pkceRequired().orElseThrow());
        assertTrue(config.authentication().nonceRequired());
        assertEquals("/v1/callback", config.authentication().redirectPath().orElseThrow());
        assertEquals(List.of("email"), config.authentication().scopes().orElseThrow());
        assertEquals(false, config.token().allowJwtIntrospection());
        assertEquals("s", config.credentials().secret().orElseThrow());
        assertEquals(KEY, config.authentication().stateSecret().orElseThrow());
        assertEquals(io.quarkus.oidc.runtime.OidcTenantConfig.TokenStateManager.Strategy.ID_TOKEN, config.tokenStateManager().strategy(),
                "only the ID token crosses from the callback to the login endpoint (kept by ServerSideTokenState)");
    }

    @Test
    void aChangedConnectionKeepsItsTenantButNotItsVersion() {
        OidcConnection old = azure("old", Instant.ofEpochMilli(1));
        OidcConnection changed = azure("new", Instant.ofEpochMilli(2));
        assertEquals(OidcTenantConfigs.tenantId(old), OidcTenantConfigs.tenantId(changed), "one quarkus-oidc tenant per connection");
        assertNotEquals(OidcTenantConfigs.version(old), OidcTenantConfigs.version(changed), "what was learned of the IdP is read afresh");
        assertEquals(ID, OidcTenantConfigs.connectionId(OidcTenantConfigs.tenantId(changed)));
        assertEquals(ID, OidcTenantConfigs.connectionId(OidcTenantConfigs.version(changed)));
    }

    @Test
    void foreignTenantIdsAreNotOurs() {
        assertEquals(null, OidcTenantConfigs.connectionId("Default"));
        assertEquals(null, OidcTenantConfigs.connectionId("conn-not-a-uuid-at-all-but-long-enough-xx"));
    }
}
