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
    SSO_ENFORCED;

    /** The name stored in the log and shown to admins. */
    public String code() {
        return name().toLowerCase();
    }
}
