package io.gatehouse.login;

/** Tokens handed to a client after sign-in, as in OAuth 2.0 (RFC 6749 §5.1). */
public record TokenResponse(String accessToken, String tokenType, long expiresIn) {

    static TokenResponse bearer(String accessToken, long expiresIn) {
        return new TokenResponse(accessToken, "Bearer", expiresIn);
    }
}
