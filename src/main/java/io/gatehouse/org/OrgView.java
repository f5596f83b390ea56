package io.gatehouse.org;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An org as the API shows it. {@code scim_delete_users}: a SCIM DELETE deletes the person (else they are
 * disabled and kept for audit); {@code directory_synced_at}: when its directory last changed something.
 */
public record OrgView(UUID id, String code, String name, List<String> domains, boolean ssoEnforced,
                      String jitDefaultRole, List<String> allowedReturnUrls, boolean linkPasswordUsers,
                      boolean scimDeleteUsers, Instant directorySyncedAt, Instant createdAt, Instant updatedAt,
                      UUID ssoParentId) {

    static OrgView of(Org org) {
        return new OrgView(org.getId(), org.getCode(), org.getName(), List.copyOf(org.getDomains()),
                org.isSsoEnforced(), org.getJitDefaultRole(), List.copyOf(org.getAllowedReturnUrls()),
                org.isLinkPasswordUsers(), org.isScimDeleteUsers(), org.getDirectorySyncedAt(), org.getCreatedAt(), org.getUpdatedAt(),
                org.getSsoParentId());
    }
}
