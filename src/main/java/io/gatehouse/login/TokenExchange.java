package io.gatehouse.login;

import io.gatehouse.org.OrgService;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.token.AccessTokenClaims;
import io.gatehouse.token.CodeGrant;
import io.gatehouse.token.IssuedToken;
import io.gatehouse.token.Secrets;
import io.gatehouse.token.Session;
import io.gatehouse.token.SessionService;
import io.gatehouse.user.Memberships;
import io.gatehouse.user.User;
import io.gatehouse.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /v1/token}: a one-time code and its PKCE verifier, or a refresh token, for new tokens.
 * Refresh tokens rotate on every use; a reused one (or a replayed code) ends the session.
 */
@ApplicationScoped
public class TokenExchange {

    private final SessionService sessions;
    private final UserService users;
    private final OrgService orgs;
    private final GatehouseConfig config;
    private final Memberships memberships;

    public TokenExchange(SessionService sessions, UserService users, OrgService orgs, GatehouseConfig config, Memberships memberships) {
        this.memberships = memberships;
        this.sessions = sessions;
        this.users = users;
        this.orgs = orgs;
        this.config = config;
    }

    public TokenGrantResponse authorizationCode(String code, String verifier, String redirectUri, String clientId) {
        require(code, "code");
        require(verifier, "code_verifier");
        require(redirectUri, "redirect_uri");
        require(clientId, "client_id");
        if (!config.clients().containsKey(clientId)) {
            throw new OAuthError("invalid_client", "unknown client");
        }
        // Consumed (or its replay punished) in its own transaction, whatever the checks below decide.
        CodeGrant grant = QuarkusTransaction.requiringNew().call(() -> sessions.consumeCode(code))
                .orElseThrow(() -> OAuthError.invalidGrant("the code is unknown, expired or already used"));
        if (!grant.clientId().equals(clientId) || !grant.redirectUri().equals(redirectUri)) {
            throw OAuthError.invalidGrant("the code was issued to another client or redirect URI");
        }
        if (!constantTimeEquals(Secrets.s256(verifier), grant.codeChallenge())) {
            throw OAuthError.invalidGrant("the code_verifier does not match the code_challenge");
        }
        return QuarkusTransaction.requiringNew().call(() -> tokensFor(sessions.findActive(grant.sessionId())));
    }

    public TokenGrantResponse refresh(String refreshToken, String clientId) {
        require(refreshToken, "refresh_token");
        // One transaction: the token is used up, and the new tokens issued, together. A refusal is returned
        // out of it rather than thrown, so it commits too: the token stays used, and a reuse's revocation holds.
        Grant grant = QuarkusTransaction.requiringNew().call(() -> {
            try {
                return new Grant(tokensFor(sessions.consumeRefreshToken(refreshToken)), null);
            } catch (OAuthError refused) {
                return new Grant(null, refused);
            }
        });
        if (grant.refused() != null) {
            throw grant.refused();
        }
        return grant.tokens();
    }

    private record Grant(TokenGrantResponse tokens, OAuthError refused) {
    }

    private TokenGrantResponse tokensFor(Optional<Session> active) {
        Session session = active.orElseThrow(() -> OAuthError.invalidGrant("the session has ended"));
        User user = users.find(session.getOrgId(), session.getUserId())
                .filter(u -> u.getStatus().equals(User.ACTIVE))
                .orElseThrow(() -> OAuthError.invalidGrant("the user is no longer active"));
        // The session's account (another account of the person's configuration, or their own org), with its roles.
        UUID orgId = session.currentOrgId();
        String orgCode = orgs.labelOf(orgId).orElseThrow(() -> OAuthError.invalidGrant("the account is gone")).code();
        java.util.List<String> roles = memberships.in(user, orgId).map(Memberships.Membership::roles)
                .orElseThrow(() -> OAuthError.invalidGrant("the person is no longer a member of the account"));
        IssuedToken access = sessions.accessToken(new AccessTokenClaims(user.getId(), orgId, orgCode,
                session.getId(), roles, user.getEmail(), user.getDisplayName(), user.getUsername(), session.getAmr()));
        return new TokenGrantResponse(access.token(), sessions.issueRefreshToken(session.getId()), "Bearer", access.expiresIn());
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw OAuthError.invalidRequest(name + " is required");
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.US_ASCII), b.getBytes(StandardCharsets.US_ASCII));
    }
}
