package io.gatehouse.login;

import java.util.UUID;

/** A sign-in refused for a typed reason, logged as {@code attemptId}. Carries no credential. */
public class LoginRefusedException extends RuntimeException {

    private final LoginFailure reason;
    private final UUID attemptId;

    public LoginRefusedException(LoginFailure reason, UUID attemptId) {
        super(reason.code(), null, false, false);
        this.reason = reason;
        this.attemptId = attemptId;
    }

    public LoginFailure reason() {
        return reason;
    }

    public UUID attemptId() {
        return attemptId;
    }
}
