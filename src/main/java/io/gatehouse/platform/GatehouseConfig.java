package io.gatehouse.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Gatehouse's own settings ({@code gatehouse.*}; env vars {@code GATEHOUSE_*}). */
@ConfigMapping(prefix = "gatehouse")
public interface GatehouseConfig {

    /**
     * The public base URL (e.g. {@code https://auth.example.com}). Every URL Gatehouse shows, puts in
     * metadata or in a token's {@code iss} is built from it, never from a request's Host header.
     */
    String publicUrl();

    /**
     * The platform operator's bearer token, or its SHA-256 as {@code sha256:<hex>}. Required outside
     * dev/test. Compared in constant time; only its hash is kept in memory.
     */
    Optional<String> adminToken();

    /**
     * Base64 of 32 random bytes: the AES-256-GCM key that encrypts client secrets and private keys at
     * rest. Required outside dev/test; losing it makes every stored secret unreadable.
     */
    Optional<String> masterKey();

    /** Whether plain http URLs are accepted for IdP endpoints and metadata. Only dev/test turn this on. */
    @WithDefault("false")
    boolean allowHttpUrls();

    /** Gatehouse's own tokens. */
    Token token();

    /** Settings of the JWTs Gatehouse issues. */
    interface Token {
        /** The {@code aud} claim of access tokens; services that verify them expect this value. */
        @WithDefault("gatehouse")
        String audience();

        /** How long an access token is valid. */
        @WithDefault("15m")
        Duration accessTokenLifetime();

        /** How long a session lasts without being refreshed. */
        @WithDefault("12h")
        Duration sessionLifetime();
    }
}
