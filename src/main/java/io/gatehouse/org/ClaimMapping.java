package io.gatehouse.org;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * Which claim (OIDC) or attribute (SAML) holds each profile field. A null entry means the protocol's
 * usual names are tried.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClaimMapping(String subject, String email, String name, String firstName, String lastName, String groups) {

    static ClaimMapping merge(ClaimMapping base, ClaimMapping change) {
        if (change == null) {
            return base;
        }
        if (base == null) {
            return change;
        }
        return new ClaimMapping(pick(change.subject, base.subject), pick(change.email, base.email),
                pick(change.name, base.name), pick(change.firstName, base.firstName),
                pick(change.lastName, base.lastName), pick(change.groups, base.groups));
    }

    private static String pick(String change, String base) {
        return change != null ? change : base;
    }
}
