package io.gatehouse.login;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/**
 * Where to send a browser so the IdP ends its own session too (OIDC RP-initiated logout), for a
 * Gatehouse session that came through one of the org's connections. Implemented by the oidc package.
 */
public interface IdpLogout {

    /**
     * @param idToken the IdP's ID token of the sign-in (the {@code id_token_hint})
     * @return the IdP's end-session URL with its parameters, or empty when the IdP offers none
     */
    Optional<URI> endSessionUrl(UUID orgId, UUID connectionId, String idToken);
}
