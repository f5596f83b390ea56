package io.gatehouse.login;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** A password sign-in. */
public record PasswordLoginRequest(@NotBlank @Size(max = 254) String username,
                                   @NotBlank @Size(max = 256) String password) {
}
