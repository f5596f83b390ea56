package io.gatehouse.org;

import java.time.Instant;
import java.util.List;

/**
 * What a SAML connection keeps of its IdP's metadata, as data: its entity ID, where AuthnRequests go,
 * where single logout goes, and every certificate it signs with (several during a rollover). Read from
 * the metadata by the {@code saml} package; stored as JSON on the connection; never typed by hand.
 *
 * @param ssoBinding the binding of {@code ssoUrl}: HTTP-Redirect when the IdP offers it, else HTTP-POST
 */
public record SamlIdp(String entityId, String ssoUrl, String ssoBinding, String sloUrl, List<Certificate> certificates) {

    /** One signing certificate; the PEM is what is trusted, the rest is shown to admins. */
    public record Certificate(String pem, String sha256Fingerprint, String subject, Instant notAfter) {
    }
}
