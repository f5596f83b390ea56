package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.lang.UnresolvableKeyException;

import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The one verifier of Gatehouse's own tokens: ES256 only, key chosen by {@code kid} among our own
 * keys (never from a {@code jwk}/{@code jku} header), issuer, audience, expiry and not-before checked
 * against the injected clock. No database access.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final int CLOCK_SKEW_SECONDS = 30;

    private final PublicKeys keys;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    @Inject
    public TokenVerifier(SigningKeys keys, GatehouseConfig config, Clock clock) {
        this(keys, config.publicUrl(), config.token().audience(), clock);
    }

    TokenVerifier(PublicKeys keys, String issuer, String audience, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.audience = audience;
        this.clock = clock;
    }

    /** The verified claims, or empty when the token is not a valid Gatehouse access token now. */
    public Optional<VerifiedToken> verify(String token) {
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
            return Optional.of(new VerifiedToken(
                    UUID.fromString(claims.getSubject()),
                    UUID.fromString(claims.getStringClaimValue("org_id")),
                    claims.getStringClaimValue("org"),
                    UUID.fromString(claims.getStringClaimValue("sid")),
                    listClaim(claims, "roles"),
                    claims.getStringClaimValue("preferred_username"),
                    claims.getStringClaimValue("email"),
                    claims.getStringClaimValue("name"),
                    listClaim(claims, "amr"),
                    Instant.ofEpochMilli(claims.getExpirationTime().getValueInMillis())));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private static List<String> listClaim(JwtClaims claims, String name) throws MalformedClaimException {
        return claims.hasClaim(name) ? List.copyOf(claims.getStringListClaimValue(name)) : List.of();
    }
}
