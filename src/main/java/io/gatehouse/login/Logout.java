package io.gatehouse.login;

import io.gatehouse.token.SessionService;
import io.gatehouse.token.TokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;

/** Ends the session a token or cookie belongs to. An invalid or missing one ends nothing, quietly. */
@ApplicationScoped
public class Logout {

    private final TokenVerifier verifier;
    private final SessionService sessions;

    public Logout(TokenVerifier verifier, SessionService sessions) {
        this.verifier = verifier;
        this.sessions = sessions;
    }

    public void end(String... tokens) {
        for (String token : tokens) {
            if (token != null) {
                verifier.verify(token).ifPresent(verified -> sessions.revoke(verified.sessionId()));
            }
        }
    }
}
