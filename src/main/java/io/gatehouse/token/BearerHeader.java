package io.gatehouse.token;

/** Reads the token out of an {@code Authorization: Bearer <token>} header (RFC 6750 §2.1). */
public final class BearerHeader {

    private static final String PREFIX = "bearer ";

    private BearerHeader() {
    }

    /** The token, or null when the header is missing, empty or of another scheme. */
    public static String token(String authorization) {
        if (authorization == null || authorization.length() <= PREFIX.length()
                || !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String token = authorization.substring(PREFIX.length()).strip();
        return token.isEmpty() ? null : token;
    }
}
