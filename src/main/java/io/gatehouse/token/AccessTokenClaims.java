package io.gatehouse.token;

import java.util.List;
import java.util.UUID;

/**
 * Who an access token speaks for: the user, their org, and the session it belongs to.
 *
 * @param amr how they signed in: {@code pwd} or {@code sso}
 */
public record AccessTokenClaims(UUID userId, UUID orgId, String orgCode, UUID sessionId, List<String> roles,
                                String email, String name, String username, String amr) {

    /** The same claims for another session. */
    public AccessTokenClaims withSession(UUID session) {
        return new AccessTokenClaims(userId, orgId, orgCode, session, roles, email, name, username, amr);
    }
}
