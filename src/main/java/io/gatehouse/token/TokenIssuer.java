package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Signs Gatehouse access tokens (ES256, {@code kid} of the active key). */
@ApplicationScoped
public class TokenIssuer {

    private final SigningKeys keys;
    private final GatehouseConfig config;
    private final Clock clock;
    private final UserVersions versions;

    public TokenIssuer(SigningKeys keys, GatehouseConfig config, Clock clock, UserVersions versions) {
        this.versions = versions;
        this.keys = keys;
        this.config = config;
        this.clock = clock;
    }

    public IssuedToken issue(AccessTokenClaims claims) {
        return issue(claims, config.token().accessTokenLifetime());
    }

    /** A token valid for {@code validity} (the browser cookie's lives as long as its session). */
    public IssuedToken issue(AccessTokenClaims claims, java.time.Duration validity) {
        Instant now = clock.instant();
        long lifetime = Math.max(1, validity.toSeconds());
        SigningKeys.ActiveKey key = keys.active();
        JwtClaimsBuilder builder = Jwt.issuer(config.publicUrl())
                .subject(claims.userId().toString())
                .audience(config.token().audience())
                .issuedAt(now)
                .expiresAt(now.plusSeconds(lifetime))
                .claim("jti", UUID.randomUUID().toString())
                .claim("sid", claims.sessionId().toString())
                .claim("org", claims.orgCode())
                .claim("org_id", claims.orgId().toString())
                .claim("roles", claims.roles())
                .claim("amr", List.of(claims.amr()))
                // The person's access as of now: a later change refuses this token (UserVersions).
                .claim("uv", versions.current(claims.userId()));
        if (claims.username() != null) {
            builder.claim("preferred_username", claims.username());
        }
        if (claims.email() != null) {
            builder.claim("email", claims.email());
        }
        if (claims.name() != null) {
            builder.claim("name", claims.name());
        }
        String token = builder.jws().keyId(key.kid()).algorithm(SignatureAlgorithm.ES256).sign(key.privateKey());
        return new IssuedToken(token, lifetime);
    }
}
