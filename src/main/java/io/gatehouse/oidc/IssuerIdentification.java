package io.gatehouse.oidc;

/**
 * RFC 9207 (and RFC 9700 §4.4): with one redirect URI shared by every org, an authorization response
 * must come from the IdP its flow was started with. Pure.
 */
final class IssuerIdentification {

    private IssuerIdentification() {
    }

    /**
     * Why the authorization response's {@code iss} parameter is not acceptable, or null when it is.
     *
     * @param issParameter   the {@code iss} parameter of the response; null when absent
     * @param expectedIssuer the issuer of the flow's IdP (its discovery document's, else the configured one)
     * @param advertised     the IdP's metadata says {@code authorization_response_iss_parameter_supported: true}
     */
    static String problem(String issParameter, String expectedIssuer, boolean advertised) {
        if (issParameter == null) {
            // RFC 9207 §2.4: a client MUST reject a response without iss from a server that advertises it.
            return advertised ? "the IdP advertises authorization_response_iss_parameter_supported, and the response has no iss" : null;
        }
        // §2.4: compared by simple string comparison (RFC 3986 §6.2.1).
        return issParameter.equals(expectedIssuer) ? null : "the response's iss is not the issuer of this sign-in's IdP";
    }

    /** A refused authorization response: the flow's IdP was not the one that answered. */
    static final class MixUp extends RuntimeException {
        final String expected;
        final String received;

        MixUp(String problem, String expected, String received) {
            super(problem, null, false, false);
            this.expected = expected;
            this.received = received;
        }
    }
}
