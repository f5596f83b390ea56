package io.gatehouse.user;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A user as the API shows it; never the password hash. */
public record UserView(UUID id, UUID orgId, String username, String email, boolean emailVerified, String displayName, List<String> roles,
                       String authMode, String status, Instant convertedToSsoAt, Instant lastLoginAt,
                       Instant createdAt, Instant updatedAt) {

    public static UserView of(User u) {
        return new UserView(u.getId(), u.getOrgId(), u.getUsername(), u.getEmail(), u.isEmailVerified(), u.getDisplayName(),
                List.copyOf(u.getRoles()), u.getAuthMode(), u.getStatus(), u.getConvertedToSsoAt(),
                u.getLastLoginAt(), u.getCreatedAt(), u.getUpdatedAt());
    }
}
