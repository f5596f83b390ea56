package io.gatehouse.setup;

import java.util.Set;
import java.util.UUID;

/**
 * Who may use the setup pages in this request, for which org and what: a setup link's page session (its
 * link's scopes), or a signed-in admin of the org (every scope).
 *
 * @param linkId the link the page session came from; null for an admin
 */
public record SetupAccess(UUID orgId, String orgCode, String orgName, Set<SetupScope> scopes, UUID linkId) {

    public boolean allows(SetupScope scope) {
        return scopes.contains(scope);
    }

    public boolean viaLink() {
        return linkId != null;
    }
}
