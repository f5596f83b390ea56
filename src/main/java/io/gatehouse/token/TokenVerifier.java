package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.security.PublicKey;
import java.time.Duration;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one verifier of Gatehouse's own tokens: ES256 only, key chosen by {@code kid} among our own
 * keys (never from a {@code jwk}/{@code jku} header), issuer, audience, expiry and not-before checked
 * against the injected clock, the session not revoked and the person's access unchanged since the
 * token was issued ({@code uv}). No database access.
 */
@Singleton
public class TokenVerifier {

    private static final int CLOCK_SKEW_SECONDS = 30;

    private final PublicKeys keys;
    private final RevocationList revocations;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    @Inject
    public TokenVerifier(SigningKeys keys, Revocations revocations, GatehouseConfig config, Clock clock) {
        this(keys, revocations, config.publicUrl(), config.token().audience(), clock);
    }

    TokenVerifier(PublicKeys keys, RevocationList revocations, String issuer, String audience, Clock clock) {
        this.keys = keys;
        this.revocations = revocations;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** Tokens already verified, so a hot path pays for the signature check once per token. */
    private final Cache<String, VerifiedToken> verified = Caffeine.newBuilder()
            .maximumSize(20_000).expireAfterWrite(Duration.ofMinutes(5))
            .executor(Runnable::run) // its upkeep is tiny: done by the caller, not handed to another thread
            .build();

    /**
     * The verified claims, or empty when the token is not a valid Gatehouse access token now. A token
     * seen before skips the signature check but never the expiry and revocation checks.
     */
    public Optional<VerifiedToken> verify(String token) {
        if (token == null || token.length() > 8192) {
            return Optional.empty();
        }
        VerifiedToken known = verified.getIfPresent(token);
        if (known != null) {
            boolean valid = known.expiresAt().plusSeconds(CLOCK_SKEW_SECONDS).isAfter(clock.instant())
                    && !revocations.isRevoked(known.sessionId()) && !revocations.isOutdated(known.userId(), known.userVersion());
            return valid ? Optional.of(known) : Optional.empty();
        }
        Optional<VerifiedToken> result = verifySignatureAndClaims(token);
        result.ifPresent(v -> verified.put(token, v));
        return result;
    }

    private Optional<VerifiedToken> verifySignatureAndClaims(String token) {
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, SigningKeys.ALGORITHM)
                .setVerificationKeyResolver((jws, nesting) -> {
                    PublicKey key = keys.publicKey(jws.getKeyIdHeaderValue());
                    if (key == null) {
                        throw new UnresolvableKeyException("unknown kid");
                    }
                    return key;
                })
                .setExpectedIssuer(issuer)
                .setExpectedAudience(audience)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setRequireJwtId()
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            UUID sessionId = UUID.fromString(claims.getStringClaimValue("sid"));
            UUID userId = UUID.fromString(claims.getSubject());
            // Tokens from before per-person versions carry none: version 0.
            long userVersion = claims.hasClaim("uv") ? claims.getClaimValue("uv", Long.class) : 0L;
            if (revocations.isRevoked(sessionId) || revocations.isOutdated(userId, userVersion)) {
                return Optional.empty();
            }
            return Optional.of(new VerifiedToken(
                    UUID.fromString(claims.getSubject()),
                    UUID.fromString(claims.getStringClaimValue("org_id")),
                    claims.getStringClaimValue("org"),
                    sessionId,
                    listClaim(claims, "roles"),
                    claims.getStringClaimValue("preferred_username"),
                    claims.getStringClaimValue("email"),
                    claims.getStringClaimValue("name"),
                    listClaim(claims, "amr"),
                    Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis()),
                    userVersion));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static List<String> listClaim(JwtClaims claims, String name) throws MalformedClaimException {
        return claims.hasClaim(name) ? List.copyOf(claims.getStringListClaimValue(name)) : List.of();
    }
}
