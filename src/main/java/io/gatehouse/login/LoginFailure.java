package io.gatehouse.login;

/** Why a sign-in was refused: the typed reasons of the login attempt log. */
public enum LoginFailure {
    /** No user has this username. */
    UNKNOWN_USER,
    /** The password does not match. */
    WRONG_PASSWORD,
    /** Too many failed password sign-ins for this username lately: the password was not checked. */
    TOO_MANY_FAILURES,
    /**
     * The IdP left the person's groups out (too many: an Entra ID overage claim) while the org maps groups
     * to roles: signing them in without their groups would give them the wrong roles.
     */
    GROUPS_OVERAGE,
    /** The person signed in to an account of their SSO configuration they are not a member of. */
    NOT_A_MEMBER,
    /** The user is disabled by an admin. */
    USER_DISABLED,
    /** The org's directory (SCIM) deactivated or deleted the user. */
    USER_DEPROVISIONED,
    /** The user signs in with SSO and has no password. */
    USER_UNDER_SSO,
    /** The org requires SSO for everyone. */
    SSO_ENFORCED,
    /** The IdP gave no email, and the person is not linked yet: Gatehouse cannot name or match them. */
    EMAIL_MISSING,
    /** The email's domain is not one of the org's domains. */
    EMAIL_DOMAIN_NOT_ALLOWED,
    /** The org requires emails at its domains, and the IdP did not say it verified this one. */
    EMAIL_NOT_VERIFIED,
    /** SAML: the response answers a request that another browser started (login CSRF). */
    BROWSER_MISMATCH,
    /** SAML: the response or its assertion is not SAML 2.0. */
    VERSION_NOT_SUPPORTED,
    /** A password user has this email and was not converted to SSO: an admin converts them, or opts in to linking. */
    PASSWORD_USER_NOT_CONVERTED,
    /** The connection was removed or disabled while the sign-in was under way. */
    CONNECTION_UNAVAILABLE,
    /** The IdP answered with an error (e.g. the user cancelled, or the app is not assigned to them). */
    IDP_ERROR,
    /** The ID token's tenant ({@code tid}) is not the connection's Entra tenant. */
    TENANT_MISMATCH,
    /** The verified token carries no subject to link the person by. */
    SUBJECT_MISSING,
    /** The sign-in came back to another org than the one it was started for. */
    ORG_MISMATCH,
    /** The connection's client secret has expired: the admin must create a new one in the IdP. */
    CLIENT_SECRET_EXPIRED,
    /** The OIDC callback carried no state, or one this browser did not start. */
    STATE_INVALID,
    /**
     * The IdP's endpoints (discovery, keys, token) could not be reached: it is down, too slow, or its
     * address is refused by the egress policy.
     */
    IDP_UNREACHABLE,
    /** The IdP refused to exchange the code (wrong client secret, code reused or expired, PKCE mismatch). */
    CODE_EXCHANGE_FAILED,
    /** The ID token failed verification: signature, issuer, audience, expiry or nonce. */
    ID_TOKEN_INVALID,
    /** SAML: the POST carried no SAMLResponse, or one that is not base64, well-formed, DTD-free SAML. */
    RESPONSE_MALFORMED,
    /** SAML: the IdP answered with a status other than Success (the user was not signed in there). */
    STATUS_NOT_SUCCESS,
    /** SAML: the response holds no assertion, or more than one. */
    ASSERTION_COUNT,
    /** SAML: the encrypted assertion could not be decrypted with the connection's SP key. */
    DECRYPTION_FAILED,
    /** SAML: neither the response nor the assertion is signed. */
    SIGNATURE_MISSING,
    /** SAML: a signature fails, is not by one of the connection's certificates, or has the wrong shape. */
    SIGNATURE_INVALID,
    /** SAML: a signature or digest algorithm outside the allowlist (SHA-1 unless the connection opts in). */
    SIGNATURE_ALGORITHM_NOT_ALLOWED,
    /** SAML: the verified assertion breaks a rule of its own (no bearer confirmation, duplicate attributes, comments). */
    ASSERTION_MALFORMED,
    /** SAML: the issuer is not the connection's IdP entity ID. */
    ISSUER_MISMATCH,
    /** SAML: the assertion is not for this org's SP entity ID. */
    AUDIENCE_MISMATCH,
    /** SAML: the bearer confirmation's Recipient is not this org's ACS URL. */
    RECIPIENT_MISMATCH,
    /** SAML: the response's Destination is not this org's ACS URL. */
    DESTINATION_MISMATCH,
    /** SAML: the assertion is not valid yet (clocks apart by more than the allowed skew). */
    ASSERTION_NOT_YET_VALID,
    /** SAML: the assertion has expired. */
    ASSERTION_EXPIRED,
    /** SAML: InResponseTo names no request this org issued, or one already answered. */
    IN_RESPONSE_TO_UNKNOWN,
    /** SAML: an IdP-initiated (unsolicited) response, and the connection does not accept those. */
    UNSOLICITED_NOT_ALLOWED,
    /** SAML: this assertion was already used to sign in. */
    ASSERTION_REPLAYED;

    /** The name stored in the log and shown to admins. */
    public String code() {
        return name().toLowerCase();
    }
}
