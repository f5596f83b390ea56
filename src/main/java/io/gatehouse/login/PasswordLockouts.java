package io.gatehouse.login;

import io.gatehouse.user.UserService;
import io.gatehouse.user.UserView;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.UUID;

/** An org admin's view of a user's password lockout, and the way to end it. */
@ApplicationScoped
public class PasswordLockouts {

    private final UserService users;
    private final LoginAttemptService attempts;

    public PasswordLockouts(UserService users, LoginAttemptService attempts) {
        this.users = users;
        this.attempts = attempts;
    }

    /** The lockout of this org's user (404 for another org's, 403 for non-admins). */
    public LockoutView of(String orgRef, UUID userId) {
        UserView user = users.get(orgRef, userId);
        return LockoutView.of(attempts.passwordLockoutEnd(user.username()).orElse(null));
    }

    /** Ends it: the failed sign-ins so far stop counting. */
    public LockoutView end(String orgRef, UUID userId) {
        users.unlockPassword(orgRef, userId);
        return LockoutView.of(null);
    }

    /** Whether the user's password sign-in is locked, and until when. */
    public record LockoutView(boolean locked, Instant lockedUntil) {
        static LockoutView of(Instant until) {
            return new LockoutView(until != null, until);
        }
    }
}
