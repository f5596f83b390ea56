package io.gatehouse.org;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An org as the API shows it. */
public record OrgView(UUID id, String code, String name, List<String> domains, boolean ssoEnforced,
                      String jitDefaultRole, List<String> allowedReturnUrls, boolean linkPasswordUsers,
                      Instant createdAt, Instant updatedAt) {

    static OrgView of(Org org) {
        return new OrgView(org.getId(), org.getCode(), org.getName(), List.copyOf(org.getDomains()),
                org.isSsoEnforced(), org.getJitDefaultRole(), List.copyOf(org.getAllowedReturnUrls()),
                org.isLinkPasswordUsers(), org.getCreatedAt(), org.getUpdatedAt());
    }
}
