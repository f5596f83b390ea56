package io.gatehouse.login;

/** The token endpoint's answer (RFC 6749 §5.1). */
public record TokenGrantResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
}
