package io.gatehouse.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Argon2id password hashes in PHC string form (OWASP's minimum: 19 MiB, 2 passes, 1 lane). Unknown
 * users are checked against a dummy hash, so they take as long as known ones.
 */
@ApplicationScoped
public class PasswordHasher {

    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19456, 2, 1, 32, Argon2.ID);

    private final String dummyHash = hash("not a password: equalizes the time of unknown users");

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    /** Whether the password matches the hash; with a null hash it spends the same time and says no. */
    public boolean verify(String password, String hash) {
        String against = hash != null ? hash : dummyHash;
        boolean matches = Password.check(password, against).with(Argon2Function.getInstanceFromHash(against));
        return hash != null && matches;
    }
}
