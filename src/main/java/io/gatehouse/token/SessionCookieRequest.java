package io.gatehouse.token;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/**
 * The browser session cookie presented to a page (never to the API): always a Gatehouse token, never
 * the admin token. Pages that change anything also check a CSRF token.
 */
public class SessionCookieRequest extends BaseAuthenticationRequest {

    private final String token;

    public SessionCookieRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
