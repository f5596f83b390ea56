package io.gatehouse.login;

import java.net.URI;
import java.util.UUID;

/**
 * A finished sign-in: where to send the browser, and the session cookie's value when the delivery
 * was to a browser (null for OAuth-style clients, which get a code in {@code redirect}).
 */
public record CompletedLogin(URI redirect, String cookieValue, long cookieMaxAgeSeconds, UUID sessionId, UUID userId,
                             UUID attemptId) {
}
