package io.gatehouse.platform;

import java.util.UUID;

/**
 * Changes that must take effect at once on every replica, as CDI events fired inside the transaction
 * that makes them (by the users and orgs features) and carried out in that same transaction by the
 * token feature, which alone knows sessions and tokens.
 */
public final class AccessChanges {

    private AccessChanges() {
    }

    /**
     * What a person may do changed (disabled, deleted, roles changed, moved to SSO): every token issued
     * to them before now is refused; a refresh issues tokens that say what holds now.
     */
    public record UserChanged(UUID orgId, UUID userId) {
    }

    /** The person was deprovisioned by the org's directory: every session of theirs ends (with its refresh tokens). */
    public record UserDeprovisioned(UUID orgId, UUID userId) {
    }

    /** An admin set the person's password: every session of theirs ends, as after any reset. */
    public record PasswordSet(UUID orgId, UUID userId) {
    }

    /** The sessions started through this connection end: it was disabled or removed. */
    public record ConnectionClosed(UUID orgId, UUID connectionId) {
    }

    /** The org's password sessions end: it now requires single sign-on. */
    public record SsoEnforced(UUID orgId) {
    }
}
