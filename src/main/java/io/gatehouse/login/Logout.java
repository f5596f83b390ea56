package io.gatehouse.login;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import io.gatehouse.org.ConnectionService;
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
    private final ConnectionService connections;

    public Logout(TokenVerifier verifier, SessionService sessions, jakarta.enterprise.inject.Instance<IdpLogout> idpLogouts,
                  LoginAttemptService attempts, ConnectionService connections) {
        this.idpLogouts = idpLogouts;
        this.attempts = attempts;
        this.verifier = verifier;
        this.sessions = sessions;
        this.connections = connections;
    }

    /**
     * Ends the sessions of these tokens and returns where the browser goes next so the IdP ends its
     * session too (OIDC RP-initiated logout, SAML Single Logout), when the first of them came through an
     * IdP that offers it.
     */
    public Optional<URI> endWithIdp(String... tokens) {
        return end(true, tokens);
    }

    public void end(String... tokens) {
        end(false, tokens);
    }

    /** Ends each token's session (logged as a logout); with {@code idp}, also finds the first IdP logout URL. */
    private Optional<URI> end(boolean idp, String... tokens) {
        Optional<URI> next = Optional.empty();
        for (String token : tokens) {
            Optional<io.gatehouse.token.VerifiedToken> verified = token == null ? Optional.empty() : verifier.verify(token);
            if (verified.isEmpty()) {
                continue;
            }
            Optional<SessionService.IdpSignIn> signIn = sessions.idpSignIn(verified.get().sessionId());
            String protocol = verified.get().amr().contains("pwd") ? "password"
                    : signIn.flatMap(s -> connections.protocolOf(s.orgId(), s.connectionId())).orElse("oidc");
            Optional<URI> here = idp && next.isEmpty() ? signIn.filter(s -> s.logoutHint() != null).flatMap(s -> idpLogout(protocol)
                    .flatMap(l -> l.endSessionUrl(s.orgId(), s.connectionId(), s.logoutHint()))) : Optional.empty();
            next = next.or(() -> here);
            sessions.revoke(verified.get().sessionId());
            attempts.recordLogout(protocol, verified.get().orgId(), signIn.map(SessionService.IdpSignIn::connectionId).orElse(null),
                    verified.get().userId(), here.isPresent() ? "rp-with-idp" : "rp", 1, null, Map.of(), null);
        }
        return next;
    }

    private Optional<IdpLogout> idpLogout(String protocol) {
        return idpLogouts.stream().filter(l -> l.protocol().equals(protocol)).findFirst();
    }
}
