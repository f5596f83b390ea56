package io.gatehouse.token;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A bearer token presented to the API: the operator's admin token or a Gatehouse access token. */
public class BearerTokenRequest extends BaseAuthenticationRequest {

    private final String token;

    public BearerTokenRequest(String token) {
        this.token = token;
    }

    public String token() {
        return token;
    }
}
