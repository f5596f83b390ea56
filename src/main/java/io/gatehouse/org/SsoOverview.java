package io.gatehouse.org;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Everything an admin needs at a glance to set up SSO for their org; {@code ssoParent}: the org whose SSO
 * configuration it shares (it is that org's account), {@code accounts}: the orgs that share its own.
 */
public record SsoOverview(UUID orgId, String orgCode, String orgName, boolean ssoEnforced, SsoUrls urls,
                          List<ConnectionSummary> connections, List<String> warnings, String ssoParent, List<String> accounts) {

    /**
     * A connection with the values specific to it: for SAML, the SP entity ID and ACS URL in effect
     * (an override, else the org's).
     */
    public record ConnectionSummary(ConnectionView connection, String spEntityId, String acsUrl,
                                    Instant clientSecretExpiresAt, Long clientSecretExpiresInDays) {
    }
}
