package io.gatehouse.login;

/** An RFC 6749 §5.2 error from the token endpoint. */
public class OAuthError extends RuntimeException {

    private final String error;

    public OAuthError(String error, String description) {
        super(description, null, false, false);
        this.error = error;
    }

    public String error() {
        return error;
    }

    static OAuthError invalidGrant(String description) {
        return new OAuthError("invalid_grant", description);
    }

    static OAuthError invalidRequest(String description) {
        return new OAuthError("invalid_request", description);
    }
}
