package io.gatehouse.org;

import io.gatehouse.platform.Validation;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * Creates an org ({@code code} and {@code name} required) or, with {@code PATCH}, changes the fields
 * it gives. {@code code} cannot change; {@code domains} are the operator's to set.
 */
public record OrgRequest(
        @Pattern(regexp = Validation.ORG_CODE, message = "must be 2 to 32 lower-case letters, digits or inner hyphens")
        String code,
        @NotBlank(message = "must not be blank", groups = Create.class) @Size(max = 200) String name,
        @Size(max = 50) List<@NotBlank @Pattern(regexp = Validation.DOMAIN, flags = Pattern.Flag.CASE_INSENSITIVE,
                message = "must be a domain name such as acme.com") String> domains,
        Boolean ssoEnforced,
        @Pattern(regexp = Validation.ROLE, message = "must be a role name such as member") String jitDefaultRole,
        @Size(max = 50) List<@NotBlank @Size(max = 2048) String> allowedReturnUrls,
        Boolean linkPasswordUsers,
        Boolean scimDeleteUsers) {

    /** Validation group of the checks that apply only when creating. */
    public interface Create extends jakarta.validation.groups.Default {
    }
}
