package io.gatehouse.oidc;

import io.gatehouse.login.LoginFailure;
import io.gatehouse.org.ConnectionSettings;
import io.gatehouse.org.ConnectionType;
import io.gatehouse.org.OidcConnection;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Verified ID token claims → the person: audience rules, and which emails count as verified. */
class OidcClaimsTest {

    private static final String TENANT = "3f2b1c4d-5e6f-4a1b-9c8d-7e6f5a4b3c2d";

    private static OidcConnection connection(ConnectionType type) {
        return new OidcConnection(UUID.randomUUID(), UUID.randomUUID(), "acme", type,
                new ConnectionSettings(type == ConnectionType.AZURE_AD ? TENANT : null, "our-client", null, null, null, null,
                        null, null, null, null, null, null, null, null), "s", null, Instant.EPOCH);
    }

    private static Map<String, Object> claims(Object... pairs) {
        Map<String, Object> claims = new HashMap<>(Map.of("sub", "s1", "tid", TENANT, "oid", "o1", "email", "jane@acme.com",
                "aud", "our-client"));
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                claims.remove((String) pairs[i]);
            } else {
                claims.put((String) pairs[i], pairs[i + 1]);
            }
        }
        return claims;
    }

    @Test
    void severalAudiencesNeedAnAzpThatIsOurClient() {
        OidcConnection c = connection(ConnectionType.OIDC);
        assertEquals(LoginFailure.ID_TOKEN_INVALID, OidcClaims.map(c, claims("aud", List.of("our-client", "other-app"))).failure(),
                "an extra audience without azp");
        assertEquals(LoginFailure.ID_TOKEN_INVALID, OidcClaims.map(c, claims("aud", List.of("our-client", "other-app"),
                "azp", "other-app")).failure(), "issued to another client");
        assertEquals(LoginFailure.ID_TOKEN_INVALID, OidcClaims.map(c, claims("azp", "other-app")).failure(), "azp of another client");
        assertNull(OidcClaims.map(c, claims("aud", List.of("our-client", "other-app"), "azp", "our-client")).failure());
        assertNull(OidcClaims.map(c, claims("aud", List.of("our-client"))).failure());
        assertNull(OidcClaims.map(c, claims()).failure());
    }

    @Test
    void anEntraGroupsOverageIsNoGroupListNotAnEmptyOne() {
        OidcConnection c = connection(ConnectionType.AZURE_AD);
        assertEquals(List.of("g1", "g2"), OidcClaims.map(c, claims("groups", List.of("g1", "g2"))).identity().groups());
        assertEquals(List.of(), OidcClaims.map(c, claims()).identity().groups(), "no groups claim: none");
        assertNull(OidcClaims.map(c, claims("_claim_names", Map.of("groups", "src1"),
                "_claim_sources", Map.of("src1", Map.of("endpoint", "https://graph.microsoft.com/v1.0/users/o1/getMemberObjects"))))
                .identity().groups(), "the overage claim: the list was left out");
        assertNull(OidcClaims.map(c, claims("hasgroups", true)).identity().groups(), "the implicit flow's overage");
    }

    @Test
    void aGenericOidcEmailIsVerifiedOnlyByEmailVerified() {
        OidcConnection c = connection(ConnectionType.OIDC);
        assertTrue(OidcClaims.map(c, claims("email_verified", "true")).identity().emailVerified());
        assertTrue(OidcClaims.map(c, claims("email_verified", true)).identity().emailVerified());
        assertFalse(OidcClaims.map(c, claims("email_verified", "false")).identity().emailVerified());
        assertFalse(OidcClaims.map(c, claims()).identity().emailVerified());
        assertFalse(OidcClaims.map(c, claims()).identity().orgDomainVouches(), "a generic IdP may serve anyone");
    }

    @Test
    void anEntraEmailIsVerifiedByXmsEdovOrTheOrgsDomain() {
        OidcConnection c = connection(ConnectionType.AZURE_AD);
        assertFalse(OidcClaims.map(c, claims("email_verified", "true")).identity().emailVerified(), "Entra's email_verified is not read");
        assertTrue(OidcClaims.map(c, claims("xms_edov", "true")).identity().emailVerified());
        assertTrue(OidcClaims.map(c, claims("xms_edov", 1L)).identity().emailVerified());
        assertFalse(OidcClaims.map(c, claims()).identity().emailVerified());
        assertTrue(OidcClaims.map(c, claims()).identity().orgDomainVouches());
    }
}
