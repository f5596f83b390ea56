package io.gatehouse.login;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import io.gatehouse.token.SessionService;
import io.gatehouse.token.TokenVerifier;
import jakarta.enterprise.context.ApplicationScoped;

/** Ends the session a token or cookie belongs to. An invalid or missing one ends nothing, quietly. */
@ApplicationScoped
public class Logout {

    private final TokenVerifier verifier;
    private final SessionService sessions;

    private final jakarta.enterprise.inject.Instance<IdpLogout> idpLogouts;
    private final LoginAttemptService attempts;

    public Logout(TokenVerifier verifier, SessionService sessions, jakarta.enterprise.inject.Instance<IdpLogout> idpLogouts,
                  LoginAttemptService attempts) {
        this.idpLogouts = idpLogouts;
        this.attempts = attempts;
        this.verifier = verifier;
        this.sessions = sessions;
    }

    /**
     * Ends the sessions of these tokens and returns where the browser goes next so the IdP ends its
     * session too (OIDC RP-initiated logout), when the first of them came through an IdP that offers it.
     */
    public Optional<URI> endWithIdp(String... tokens) {
        Optional<URI> idp = Optional.empty();
        for (String token : tokens) {
            if (token == null) {
                continue;
            }
            Optional<io.gatehouse.token.VerifiedToken> verified = verifier.verify(token);
            if (verified.isEmpty()) {
                continue;
            }
            Optional<SessionService.IdpSignIn> signIn = sessions.idpSignIn(verified.get().sessionId());
            Optional<URI> next = idp.isEmpty() && !idpLogouts.isUnsatisfied() ? signIn.flatMap(s -> idpLogouts.get()
                    .endSessionUrl(s.orgId(), s.connectionId(), s.idToken())) : Optional.empty();
            idp = idp.or(() -> next);
            sessions.revoke(verified.get().sessionId());
            attempts.recordLogout(protocol(verified.get(), signIn.isPresent()), verified.get().orgId(),
                    signIn.map(SessionService.IdpSignIn::connectionId).orElse(null), verified.get().userId(),
                    next.isPresent() ? "rp-with-idp" : "rp", 1, null, Map.of(), null);
        }
        return idp;
    }

    public void end(String... tokens) {
        for (String token : tokens) {
            if (token != null) {
                verifier.verify(token).ifPresent(verified -> {
                    sessions.revoke(verified.sessionId());
                    attempts.recordLogout(protocol(verified, false), verified.orgId(), null, verified.userId(),
                            "rp", 1, null, Map.of(), null);
                });
            }
        }
    }

    /** The protocol of the sign-in a session came from: passwords; OIDC (its ID token is kept); else SAML. */
    private static String protocol(io.gatehouse.token.VerifiedToken verified, boolean oidc) {
        return verified.amr().contains("pwd") ? "password" : oidc ? "oidc" : "saml";
    }
}
