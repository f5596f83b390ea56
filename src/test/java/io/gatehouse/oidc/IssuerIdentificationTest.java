package io.gatehouse.oidc;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** RFC 9207 §2.4, case by case. */
class IssuerIdentificationTest {

    private static final String IDP = "https://idp.example.com/realms/acme";

    @Test
    void theFlowsOwnIssuerIsAccepted() {
        assertNull(IssuerIdentification.problem(IDP, IDP, true));
        assertNull(IssuerIdentification.problem(IDP, IDP, false));
    }

    @Test
    void anotherIssuerIsRefusedWhetherOrNotItIsAdvertised() {
        assertNotNull(IssuerIdentification.problem("https://idp.example.com/realms/other", IDP, true));
        assertNotNull(IssuerIdentification.problem("https://idp.example.com/realms/other", IDP, false));
        assertNotNull(IssuerIdentification.problem(IDP + "/", IDP, false), "compared as strings, not normalised");
    }

    @Test
    void aMissingIssIsRefusedOnlyWhereTheIdpAdvertisesIt() {
        assertNotNull(IssuerIdentification.problem(null, IDP, true));
        assertNull(IssuerIdentification.problem(null, IDP, false));
    }
}
