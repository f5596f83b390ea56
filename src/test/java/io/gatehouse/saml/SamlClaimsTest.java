package io.gatehouse.saml;

import io.gatehouse.login.LoginFailure;
import io.gatehouse.org.ClaimMapping;
import io.gatehouse.org.ConnectionSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Verified assertions of the shapes real IdPs send → the person. */
class SamlClaimsTest {

    private static SamlConnection connection(ClaimMapping mapping) {
        ConnectionSettings settings = new ConnectionSettings(null, null, null, null, null, null, null, null, null, null,
                mapping, null, null, null);
        return new SamlConnection(UUID.randomUUID(), UUID.randomUUID(), "acme", true, true, settings, null, List.of(), null, null);
    }

    private static SamlResponseValidator.Verified assertion(String nameId, Map<String, List<String>> attributes) {
        return new SamlResponseValidator.Verified("_a", "https://idp", Instant.EPOCH, null, nameId,
                "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "_s1", attributes, null, null);
    }

    private static Map<String, List<String>> attrs(String... pairs) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.merge(pairs[i], List.of(pairs[i + 1]), (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList());
        }
        return out;
    }

    @Test
    void entraAndAdfsClaimUris() {
        var result = SamlClaims.map(connection(null), assertion("kS2vXaBc", attrs(
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "jane@acme.com",
                "http://schemas.microsoft.com/identity/claims/displayname", "Jane Doe",
                "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", "g1",
                "http://schemas.microsoft.com/ws/2008/06/identity/claims/groups", "g2")));
        assertEquals("kS2vXaBc", result.identity().subject());
        assertEquals("jane@acme.com", result.identity().email());
        assertEquals("Jane Doe", result.identity().displayName());
        assertEquals(List.of("g1", "g2"), result.identity().groups());
        assertEquals("_s1", result.identity().idpSessionRef());
        assertEquals("saml", result.identity().protocol());
    }

    @Test
    void oktaGoogleOneLoginShapesAndTheNameIdAsEmail() {
        var okta = SamlClaims.map(connection(null), assertion("00u1", attrs("Email", "a@acme.com", "firstName", "Ann", "lastName", "Lee")));
        assertEquals("a@acme.com", okta.identity().email());
        assertEquals("Ann Lee", okta.identity().displayName());
        var google = SamlClaims.map(connection(null), assertion("b@acme.com", Map.of()));
        assertEquals("b@acme.com", google.identity().email(), "an email-shaped NameID");
        var oneLogin = SamlClaims.map(connection(null), assertion("123", attrs("User.email", "c@acme.com", "User.FirstName", "Cy")));
        assertEquals("c@acme.com", oneLogin.identity().email());
        assertEquals("Cy", oneLogin.identity().displayName());
        var shibboleth = SamlClaims.map(connection(null), assertion("t1", attrs("urn:oid:0.9.2342.19200300.100.1.3", "d@acme.com")));
        assertEquals("d@acme.com", shibboleth.identity().email());
        assertNull(SamlClaims.map(connection(null), assertion("opaque-id", Map.of())).identity().email(), "no email anywhere");
    }

    @Test
    void theConnectionsMappingWins() {
        ClaimMapping mapping = new ClaimMapping("employeeId", "workMail", "fullName", null, null, "teams");
        var result = SamlClaims.map(connection(mapping), assertion("x@acme.com", attrs("employeeId", "E42", "workMail", "w@acme.com",
                "email", "other@acme.com", "fullName", "W. Smith", "teams", "red")));
        assertEquals("E42", result.identity().subject());
        assertEquals("w@acme.com", result.identity().email());
        assertEquals("W. Smith", result.identity().displayName());
        assertEquals(List.of("red"), result.identity().groups());
        assertEquals(LoginFailure.SUBJECT_MISSING, SamlClaims.map(connection(mapping), assertion("x", Map.of())).failure());
    }
}
