package io.gatehouse.web;

import io.gatehouse.platform.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF tokens of the pages' forms (quarkus-rest-csrf is not served for the pinned Quarkus here): a
 * random value in an HttpOnly, SameSite=Strict cookie, and in each form an HMAC of it under a key
 * derived from the master key. A post is accepted only when the form's token is the HMAC of the
 * cookie it came with: another site can neither read the cookie nor compute the token.
 */
@ApplicationScoped
public class Csrf {

    public static final String COOKIE = "gatehouse_csrf";
    public static final String FIELD = "csrf";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] key;

    public Csrf(SecretCipher cipher) {
        this.key = Base64.getUrlDecoder().decode(cipher.derive("csrf-form-token"));
    }

    /** A new cookie value. */
    public String newSeed() {
        byte[] seed = new byte[32];
        RANDOM.nextBytes(seed);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(seed);
    }

    /** The form token for this cookie value. */
    public String token(String seed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(seed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether a form's token matches the cookie it came with. */
    public boolean valid(String seed, String formToken) {
        if (seed == null || seed.isBlank() || formToken == null) {
            return false;
        }
        return MessageDigest.isEqual(token(seed).getBytes(StandardCharsets.US_ASCII), formToken.getBytes(StandardCharsets.US_ASCII));
    }

    /** The Set-Cookie value of a seed. */
    public static String cookie(String seed) {
        return COOKIE + "=" + seed + "; Path=/; Secure; HttpOnly; SameSite=Strict";
    }
}
