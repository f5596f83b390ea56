package io.gatehouse.platform;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretCipherTest {

    private static byte[] key(int fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) fill);
        return key;
    }

    private final SecretCipher cipher = new SecretCipher(key(7));

    @Test
    void roundTrip() {
        String sealed = cipher.encrypt("client-secret", "connection:1:client_secret");
        assertFalse(sealed.contains("client-secret"));
        assertEquals("client-secret", cipher.decryptToString(sealed, "connection:1:client_secret"));
    }

    @Test
    void sameSecretTwiceGivesDifferentCiphertexts() {
        assertNotEquals(cipher.encrypt("s", "c"), cipher.encrypt("s", "c"));
    }

    @Test
    void otherContextDoesNotDecrypt() {
        String sealed = cipher.encrypt("client-secret", "connection:1:client_secret");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "connection:2:client_secret"));
    }

    @Test
    void otherKeyDoesNotDecrypt() {
        String sealed = cipher.encrypt("client-secret", "c");
        assertThrows(IllegalStateException.class, () -> new SecretCipher(key(8)).decrypt(sealed, "c"));
    }

    @Test
    void alteredCiphertextDoesNotDecrypt() {
        String sealed = cipher.encrypt("client-secret", "c");
        char last = sealed.charAt(sealed.length() - 3);
        String altered = sealed.substring(0, sealed.length() - 3) + (last == 'A' ? 'B' : 'A') + sealed.substring(sealed.length() - 2);
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(altered, "c"));
    }

    @Test
    void derivedKeysAre256BitsAndDifferPerPurposeAndMasterKey() {
        String a = cipher.derive("oidc-cookies:1");
        assertEquals(43, a.length());
        assertEquals(a, new SecretCipher(key(7)).derive("oidc-cookies:1"));
        assertNotEquals(a, cipher.derive("oidc-cookies:2"));
        assertNotEquals(a, new SecretCipher(key(8)).derive("oidc-cookies:1"));
    }

    @Test
    void keyMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new SecretCipher(new byte[16]));
    }
}
