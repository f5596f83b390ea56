package io.gatehouse.org;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Everything an admin needs at a glance to set up SSO for their org. */
public record SsoOverview(UUID orgId, String orgCode, String orgName, boolean ssoEnforced, SsoUrls urls,
                          List<ConnectionSummary> connections, List<String> warnings) {

    /**
     * A connection with the values specific to it: for SAML, the SP entity ID and ACS URL in effect
     * (an override, else the org's).
     */
    public record ConnectionSummary(ConnectionView connection, String spEntityId, String acsUrl,
                                    Instant clientSecretExpiresAt, Long clientSecretExpiresInDays) {
    }
}
