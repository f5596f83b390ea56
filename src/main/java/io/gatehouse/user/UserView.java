package io.gatehouse.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A user as the API shows it; never the password hash. {@code roles} are the roles given by hand;
 * {@code group_roles} those the org's role mappings give through the person's groups.
 */
public record UserView(UUID id, UUID orgId, String username, String email, boolean emailVerified, String displayName, List<String> roles,
                       List<String> groupRoles, String authMode, String status, String externalId, Instant provisionedAt,
                       Instant deprovisionedAt, Instant convertedToSsoAt, Instant lastLoginAt,
                       Instant createdAt, Instant updatedAt) {

    public static UserView of(User u) {
        return new UserView(u.getId(), u.getOrgId(), u.getUsername(), u.getEmail(), u.isEmailVerified(), u.getDisplayName(),
                List.copyOf(u.getRoles()), List.copyOf(u.getGroupRoles()), u.getAuthMode(), u.getStatus(), u.getExternalId(),
                u.getProvisionedAt(), u.getDeprovisionedAt(), u.getConvertedToSsoAt(),
                u.getLastLoginAt(), u.getCreatedAt(), u.getUpdatedAt());
    }
}
