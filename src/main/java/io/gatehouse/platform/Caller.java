package io.gatehouse.platform;

import java.util.List;
import java.util.UUID;

/**
 * Who is calling the API: the platform operator, or a Gatehouse user of one org with their roles.
 *
 * @param sessionId the user's session ({@code sid}); null for the operator
 */
public record Caller(boolean operator, UUID userId, UUID orgId, String orgCode, UUID sessionId, List<String> roles) {

    /** The identity attribute that holds the caller. */
    public static final String ATTRIBUTE = "gatehouse.caller";

    public static final Caller OPERATOR = new Caller(true, null, null, null, null, List.of());

    /**
     * The stand-in caller of a setup link for its org (see {@code Callers.actingAs}): an admin of that org
     * only, with no user and no session behind it.
     */
    public static Caller setupLink(UUID orgId, String orgCode) {
        return new Caller(false, null, orgId, orgCode, null, List.of("admin"));
    }

    /** Whether this caller may manage the given org: the operator, or its admins and owners. */
    public boolean canAdminister(UUID org) {
        return operator || (org.equals(orgId) && (isOwner() || roles.contains("admin")));
    }

    public boolean isOwner() {
        return roles.contains("owner");
    }

    /** Whether this caller belongs to the org (or is the operator, who sees every org). */
    public boolean canSee(UUID org) {
        return operator || org.equals(orgId);
    }
}
