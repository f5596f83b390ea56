package io.gatehouse.platform;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The operator's token, kept only as its SHA-256 and compared in constant time. */
@ApplicationScoped
public class AdminToken {

    /** Prefix of an admin token given as its hash rather than in plain text. */
    public static final String HASH_PREFIX = "sha256:";

    private final byte[] expectedHash;

    public AdminToken(GatehouseConfig config) {
        String configured = config.adminToken().map(String::strip).orElse("");
        this.expectedHash = configured.startsWith(HASH_PREFIX)
                ? HexFormat.of().parseHex(configured.substring(HASH_PREFIX.length()))
                : sha256(configured);
    }

    /** Whether the presented bearer token is the operator's. */
    public boolean matches(String presented) {
        return expectedHash.length == 32 && MessageDigest.isEqual(expectedHash, sha256(presented));
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
