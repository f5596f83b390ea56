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
        return end(true, tokens);
    }

    public void end(String... tokens) {
        end(false, tokens);
    }

    /** Ends each token's session (logged as a logout); with {@code idp}, also finds the first IdP end-session URL. */
    private Optional<URI> end(boolean idp, String... tokens) {
        Optional<URI> next = Optional.empty();
        for (String token : tokens) {
            Optional<io.gatehouse.token.VerifiedToken> verified = token == null ? Optional.empty() : verifier.verify(token);
            if (verified.isEmpty()) {
                continue;
            }
            Optional<SessionService.IdpSignIn> signIn = sessions.idpSignIn(verified.get().sessionId());
            Optional<URI> here = idp && next.isEmpty() && !idpLogouts.isUnsatisfied() ? signIn.flatMap(s -> idpLogouts.get()
                    .endSessionUrl(s.orgId(), s.connectionId(), s.idToken())) : Optional.empty();
            next = next.or(() -> here);
            sessions.revoke(verified.get().sessionId());
            attempts.recordLogout(protocol(verified.get(), signIn.isPresent()), verified.get().orgId(),
                    signIn.map(SessionService.IdpSignIn::connectionId).orElse(null), verified.get().userId(),
                    here.isPresent() ? "rp-with-idp" : "rp", 1, null, Map.of(), null);
        }
        return next;
    }

    /** The protocol of the sign-in a session came from: passwords; OIDC (its ID token is kept); else SAML. */
    private static String protocol(io.gatehouse.token.VerifiedToken verified, boolean oidc) {
        return verified.amr().contains("pwd") ? "password" : oidc ? "oidc" : "saml";
    }
}
