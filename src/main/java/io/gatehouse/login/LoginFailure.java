package io.gatehouse.login;

/** Why a sign-in was refused: the typed reasons of the login attempt log. */
public enum LoginFailure {
    /** No user has this username. */
    UNKNOWN_USER,
    /** The password does not match. */
    WRONG_PASSWORD,
    /** The user is disabled by an admin. */
    USER_DISABLED,
    /** The user signs in with SSO and has no password. */
    USER_UNDER_SSO,
    /** The org requires SSO for everyone. */
    SSO_ENFORCED,
    /** The IdP gave no email, and the person is not linked yet: Gatehouse cannot name or match them. */
    EMAIL_MISSING,
    /** The email's domain is not one of the org's domains. */
    EMAIL_DOMAIN_NOT_ALLOWED,
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
    /** The IdP refused to exchange the code (wrong client secret, code reused or expired, PKCE mismatch). */
    CODE_EXCHANGE_FAILED,
    /** The ID token failed verification: signature, issuer, audience, expiry or nonce. */
    ID_TOKEN_INVALID;

    /** The name stored in the log and shown to admins. */
    public String code() {
        return name().toLowerCase();
    }
}
