package io.gatehouse.oidc;

import io.gatehouse.login.AttemptRecord;
import io.gatehouse.login.LoginAttemptService;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import io.gatehouse.token.SessionService;
import io.gatehouse.user.User;
import io.gatehouse.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * OpenID Connect Back-Channel Logout 1.0: the IdP POSTs a logout token; it is verified like an ID token
 * (signature by the IdP's keys, {@code iss}, {@code aud} our client, {@code iat} recent, {@code exp}), must
 * carry the back-channel logout event and {@code sid} and/or {@code sub}, no {@code nonce}, and a {@code jti}
 * not seen before (kept in PostgreSQL, so a replay is refused on every replica); then the matching
 * sessions of the org end on every replica. Every answer, ended or refused, is a row in the attempt log.
 */
@ApplicationScoped
public class BackChannelLogout {

    static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";
    private static final AlgorithmConstraints SIGNED = new AlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);

    /** A refusal: the error code and description of the 400 answer. */
    public static final class Refused extends Exception {
        public Refused(String description) {
            super(description, null, false, false);
        }
    }

    private final ConnectionService connections;
    private final IdpDiscovery discovery;
    private final SessionService sessions;
    private final UserService users;
    private final LoginAttemptService attempts;
    private final EntityManager em;

    public BackChannelLogout(ConnectionService connections, IdpDiscovery discovery, SessionService sessions, UserService users,
                             LoginAttemptService attempts, EntityManager em) {
        this.connections = connections;
        this.discovery = discovery;
        this.sessions = sessions;
        this.users = users;
        this.attempts = attempts;
        this.em = em;
    }

    /** Verifies the logout token and ends its sessions; returns how many ended. */
    public int logout(String orgCode, String logoutToken, AttemptRecord.ClientInfo client) throws Refused {
        OidcConnection connection = null;
        List<OidcConnection> candidates = connections.oidcConnections(orgCode);
        UUID orgId = candidates.isEmpty() ? null : candidates.getFirst().orgId();
        try {
            if (logoutToken == null || logoutToken.isBlank() || logoutToken.length() > 16_384) {
                throw new Refused("logout_token is required");
            }
            String claimedIssuer = unverifiedIssuer(logoutToken);
            JwtClaims claims = null;
            for (OidcConnection c : candidates) {
                String tenantId = OidcTenantConfigs.version(c);
                IdpDiscovery.Issuer idp = discovery.await(tenantId, OidcTenantConfigs.authServerUrl(c));
                if (!OidcTenantConfigs.sameIssuer(idp.issuer(), claimedIssuer) || idp.jwksUri() == null) {
                    continue;
                }
                connection = c;
                claims = verify(logoutToken, c, idp, tenantId);
                break;
            }
            if (connection == null) {
                throw new Refused("the token's issuer is none of this organization's OIDC connections");
            }
            String sid = claims.getClaimValueAsString("sid");
            String sub = claims.getSubject();
            Instant expires = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
            if (!firstUse(connection.orgId(), claimedIssuer, claims.getJwtId(), expires)) {
                throw new Refused("the logout token was used already (jti)");
            }
            int ended;
            UUID userId = null;
            if (sid != null && !sid.isBlank()) {
                ended = sessions.revokeByIdpSession(connection.orgId(), connection.id(), sid);
            } else {
                OidcConnection c = connection;
                userId = QuarkusTransaction.requiringNew().call(() -> users.findLinked(c.orgId(), c.id(), sub).map(User::getId).orElse(null));
                ended = userId == null ? 0 : sessions.revokeByConnectionUser(connection.orgId(), connection.id(), userId, java.util.Set.of());
            }
            attempts.recordLogout("oidc", connection.orgId(), connection.id(), userId, "idp-backchannel", ended, null,
                    Map.of(), client);
            return ended;
        } catch (Refused | MalformedClaimException e) {
            Refused refused = e instanceof Refused r ? r : new Refused("the logout token's claims are malformed");
            attempts.recordLogout("oidc", orgId, connection == null ? null : connection.id(), null, "idp-backchannel", 0,
                    "logout_token_invalid", Map.of("problem", refused.getMessage()), client);
            throw refused;
        }
    }

    private static String unverifiedIssuer(String token) throws Refused {
        try {
            JwtConsumer peek = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build();
            return peek.processToClaims(token).getIssuer();
        } catch (InvalidJwtException | MalformedClaimException e) {
            throw new Refused("logout_token is not a JWT");
        }
    }

    private JwtClaims verify(String token, OidcConnection connection, IdpDiscovery.Issuer idp, String tenantId) throws Refused {
        JwtClaims claims = null;
        for (boolean refresh : new boolean[] {false, true}) {
            String keys;
            try {
                keys = discovery.keySet(tenantId, idp.jwksUri(), refresh);
            } catch (RuntimeException e) {
                throw new Refused("the IdP's keys could not be read");
            }
            if (keys == null) {
                throw new Refused("the IdP's keys could not be read");
            }
            try {
                JwtConsumer consumer = new JwtConsumerBuilder()
                        .setVerificationKeyResolver(new JwksVerificationKeyResolver(new JsonWebKeySet(keys).getJsonWebKeys()))
                        .setJwsAlgorithmConstraints(SIGNED)
                        .setExpectedIssuer(idp.issuer())
                        .setExpectedAudience(connection.settings().clientId())
                        .setRequireIssuedAt().setIssuedAtRestrictions(120, 600)
                        .setRequireExpirationTime().setAllowedClockSkewInSeconds(120)
                        .setRequireJwtId()
                        .build();
                claims = consumer.processToClaims(token);
                break;
            } catch (JoseException e) {
                throw new Refused("the IdP's keys could not be read");
            } catch (InvalidJwtException e) {
                boolean unknownKey = e.getMessage() != null && e.getMessage().contains("Unable to find a suitable verification key");
                if (!unknownKey || refresh) {
                    throw new Refused(describe(e));
                }
            }
        }
        if (claims.hasClaim("nonce")) {
            throw new Refused("a logout token must not carry a nonce");
        }
        Object events = claims.getClaimValue("events");
        if (!(events instanceof Map<?, ?> map) || !(map.get(EVENT) instanceof Map<?, ?>)) {
            throw new Refused("the events claim must hold " + EVENT);
        }
        if (blank(claims.getClaimValue("sid")) && blank(claims.getClaimValue("sub"))) {
            throw new Refused("a logout token needs sid or sub");
        }
        return claims;
    }

    /** Records the token's jti; false when it was there already: a replay. */
    private boolean firstUse(UUID orgId, String issuer, String jti, Instant expires) {
        return QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                        "insert into logout_token_ids (org_id, issuer, jti, expires_at) values (?1, ?2, ?3, ?4) on conflict do nothing")
                .setParameter(1, orgId).setParameter(2, issuer).setParameter(3, jti).setParameter(4, expires).executeUpdate() == 1);
    }

    private static String describe(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "the logout token has expired";
        }
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("Audience")) {
            return "the logout token is for another client (aud)";
        }
        if (message.contains("Issuer")) {
            return "the logout token's issuer is not the connection's";
        }
        if (message.contains("signature") || message.contains("verification key")) {
            return "the logout token's signature is not the IdP's";
        }
        if (message.contains("Issued At") || message.contains("iat")) {
            return "the logout token's iat is missing or not recent";
        }
        if (message.contains("JWT ID") || message.contains("jti")) {
            return "a logout token needs a jti";
        }
        return "the logout token is not valid";
    }

    private static boolean blank(Object value) {
        return !(value instanceof String s) || s.isBlank();
    }
}
