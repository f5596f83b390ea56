package io.gatehouse.token;

import java.util.UUID;

/** Sessions that were revoked before they expired. Answered from memory, never from the database. */
public interface RevocationList {

    boolean isRevoked(UUID sessionId);

    /** Whether tokens of this version no longer speak for the person (their access changed since). */
    default boolean isOutdated(UUID userId, long userVersion) {
        return false;
    }
}
