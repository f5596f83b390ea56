package io.gatehouse.login;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/**
 * Where to send a browser so the IdP ends its own session too, for a Gatehouse session that came through
 * one of the org's connections: OIDC RP-initiated logout (the oidc package), SAML Single Logout (the saml
 * package). Each implementation speaks one protocol.
 */
public interface IdpLogout {

    /** The protocol of the connections it serves: {@code oidc} or {@code saml}. */
    String protocol();

    /**
     * @param logoutHint what was kept with the session for this: the IdP's ID token ({@code id_token_hint}),
     *                   or the SAML NameID and SessionIndex
     * @return the URL to send the browser to, or empty when the IdP offers no logout (or is unreachable)
     */
    Optional<URI> endSessionUrl(UUID orgId, UUID connectionId, String logoutHint);
}
