package io.gatehouse.token;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The claims of a Gatehouse access token whose signature, issuer, audience and times were checked. */
public record VerifiedToken(UUID userId, UUID orgId, String orgCode, UUID sessionId, List<String> roles,
                            String username, String email, String name, List<String> amr, Instant expiresAt,
                            long userVersion) {
}
