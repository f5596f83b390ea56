package io.gatehouse.login;

import java.util.List;
import java.util.UUID;

/**
 * A person as an IdP vouched for them, after the protocol checks (OIDC ID token, SAML assertion):
 * the only input login completion trusts.
 *
 * @param subject       the stable external id: OIDC {@code sub} (Entra: {@code oid}+{@code tid}) or the SAML NameID
 * @param protocol      {@code oidc} or {@code saml}
 * @param idpSessionRef the IdP's session (OIDC {@code sid}, SAML {@code SessionIndex}), for logout; may be null
 * @param emailVerified the IdP says it verified the email (OIDC {@code email_verified: true}, Entra {@code xms_edov})
 * @param groups        the groups the IdP sent (empty: none); null when it said there were too many to send
 *                      (an Entra ID groups overage claim)
 * @param orgDomainVouches an email at one of the org's verified domains counts as verified (Entra ID, SAML:
 *                      the org proved it owns the domain and configured the IdP); false for generic OIDC,
 *                      whose IdP may serve anyone
 */
public record ExternalIdentity(UUID orgId, UUID connectionId, String protocol, String subject, String email,
                               String displayName, List<String> groups, String idpSessionRef, boolean emailVerified,
                               boolean orgDomainVouches) {
}
