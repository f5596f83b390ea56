package io.gatehouse.user;

import io.gatehouse.platform.Validation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Creates a password user ({@code username} and {@code password} required) or, with {@code PATCH},
 * changes the roles, status, email or display name it gives. Usernames and passwords do not change here.
 */
public record UserRequest(
        @NotBlank(groups = Create.class)
        @Pattern(regexp = Validation.USERNAME, message = "must be 1 to 128 letters, digits or . _ @ + - and start with a letter or digit")
        String username,
        @Size(max = 254) String email,
        @Size(max = 200) String displayName,
        @NotNull(groups = Create.class) @Size(min = 12, max = 256, message = "must be 12 to 256 characters") String password,
        @Size(max = 20) List<@NotNull @Pattern(regexp = Validation.ROLE, message = "must be a role name such as admin") String> roles,
        @Pattern(regexp = "active|disabled", message = "must be active or disabled") String status) {

    /** Validation group of the checks that apply only when creating. */
    public interface Create extends jakarta.validation.groups.Default {
    }
}
