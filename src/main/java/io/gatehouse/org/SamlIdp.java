package io.gatehouse.org;

import java.time.Instant;
import java.util.List;

/**
 * What a SAML connection keeps of its IdP's metadata, as data: its entity ID, where AuthnRequests go,
 * where single logout goes, and every certificate it signs with (several during a rollover). Read from
 * the metadata by the {@code saml} package; stored as JSON on the connection; never typed by hand.
 *
 * @param ssoBinding          the binding of {@code ssoUrl}: HTTP-Redirect when the IdP offers it, else HTTP-POST
 * @param sloBinding          the binding of {@code sloUrl}, chosen the same way (null: none, or kept before it was read)
 * @param sloResponseUrl      where LogoutResponses go when the IdP names a separate ResponseLocation, else null
 * @param wantsSignedRequests the IdP's WantAuthnRequestsSigned
 */
public record SamlIdp(String entityId, String ssoUrl, String ssoBinding, String sloUrl, List<Certificate> certificates,
                      String sloBinding, String sloResponseUrl, Boolean wantsSignedRequests) {

    /** The binding single logout messages are sent with: the one read from metadata, HTTP-Redirect when unknown. */
    public String logoutBinding() {
        return sloBinding != null ? sloBinding : "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";
    }

    /** Where a LogoutResponse to the IdP goes. */
    public String logoutResponseUrl() {
        return sloResponseUrl != null ? sloResponseUrl : sloUrl;
    }

    /** One signing certificate; the PEM is what is trusted, the rest is shown to admins. */
    public record Certificate(String pem, String sha256Fingerprint, String subject, Instant notAfter) {
    }
}
