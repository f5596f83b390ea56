package io.gatehouse.token;

import java.security.PublicKey;

/** Gatehouse's own verification keys, by {@code kid}. */
public interface PublicKeys {

    /** The public key for a {@code kid}, or null when it is not one of ours. */
    PublicKey publicKey(String kid);
}
