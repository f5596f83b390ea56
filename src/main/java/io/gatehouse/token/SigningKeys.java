package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.SecretCipher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.keys.EllipticCurves;
import org.jose4j.lang.JoseException;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Gatehouse's signing keys: created once at first start (one replica wins; the others load it), kept
 * in memory so that verifying a token never touches the database.
 */
@Startup
@ApplicationScoped
public class SigningKeys implements PublicKeys {

    static final String ALGORITHM = "ES256";
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);

    private final SigningKeyRepository repository;
    private final SecretCipher cipher;
    private final Clock clock;
    private final GatehouseConfig config;
    private volatile KeySet current;

    public SigningKeys(SigningKeyRepository repository, SecretCipher cipher, Clock clock, GatehouseConfig config) {
        this.repository = repository;
        this.cipher = cipher;
        this.clock = clock;
        this.config = config;
        QuarkusTransaction.requiringNew().run(this::ensureActiveKey);
        reload();
    }

    /** The key new tokens are signed with. */
    public ActiveKey active() {
        return current.active;
    }

    @Override
    public PublicKey publicKey(String kid) {
        return kid == null ? null : current.published.get(kid);
    }

    /** The JWKS document: the active key and the recently retired ones. */
    public Map<String, Object> jwks() {
        return current.jwks;
    }

    /** Whether a usable active key is loaded (readiness). */
    public boolean ready() {
        return current != null && current.active != null;
    }

    /** Reads the keys from the database again. */
    public void reload() {
        current = QuarkusTransaction.requiringNew().call(() -> {
            // A retired key stays published until every token it signed (the longest: a browser cookie's) expired.
            Duration longest = config.token().accessTokenLifetime().compareTo(config.token().sessionLifetime()) > 0
                    ? config.token().accessTokenLifetime() : config.token().sessionLifetime();
            Instant retiredSince = clock.instant().minus(longest).minusSeconds(60);
            List<SigningKey> keys = repository.listPublished(retiredSince);
            Map<String, PublicKey> published = new LinkedHashMap<>();
            ActiveKey active = null;
            List<Map<String, Object>> jwks = new java.util.ArrayList<>();
            for (SigningKey key : keys) {
                PublicJsonWebKey jwk = parse(key.getPublicKey());
                published.put(key.getKid(), jwk.getPublicKey());
                jwks.add(jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY));
                if (key.getStatus().equals("active")) {
                    active = new ActiveKey(key.getKid(), privateKey(key));
                }
            }
            return new KeySet(active, Map.copyOf(published), Map.of("keys", List.copyOf(jwks)));
        });
    }

    /**
     * Retires the active key and creates a new one; the old one stays in the JWKS while tokens it signed
     * live. Other replicas reload on the notification. Returns the new key's {@code kid}.
     */
    public String rotate() {
        String kid = QuarkusTransaction.requiringNew().call(() -> {
            repository.lockForCreation();
            return replaceActive();
        });
        reload();
        return kid;
    }

    /** Rotates when the active key is older than {@code gatehouse.token.key-rotation-interval}; one replica does it. */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void rotateWhenDue() {
        boolean rotated = QuarkusTransaction.requiringNew().call(() -> {
            repository.lockForCreation();
            boolean due = repository.findActive()
                    .map(k -> k.getCreatedAt().plus(config.token().keyRotationInterval()).isBefore(clock.instant()))
                    .orElse(true);
            if (due) {
                replaceActive();
            }
            return due;
        });
        if (rotated) {
            LOG.info("Rotated the signing key on schedule");
            reload();
        }
    }

    private String replaceActive() {
        Instant now = clock.instant();
        repository.findActive().ifPresent(old -> {
            old.retire(now);
            repository.flush();
        });
        SigningKey key = newKey(now);
        repository.persist(key);
        repository.notifyChanged();
        return key.getKid();
    }

    void ensureActiveKey() {
        repository.lockForCreation();
        if (repository.findActive().isEmpty()) {
            repository.persist(newKey(clock.instant()));
            LOG.info("Created the first signing key");
        }
    }

    private SigningKey newKey(Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(EllipticCurves.P256);
            KeyPair pair = generator.generateKeyPair();
            EllipticCurveJsonWebKey jwk = new EllipticCurveJsonWebKey((java.security.interfaces.ECPublicKey) pair.getPublic());
            String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
            jwk.setKeyId(kid);
            jwk.setUse("sig");
            jwk.setAlgorithm(ALGORITHM);
            String ciphertext = cipher.encrypt(pair.getPrivate().getEncoded(), SigningKey.privateKeyContext(kid));
            return new SigningKey(UUID.randomUUID(), kid, ALGORITHM,
                    jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY), ciphertext, now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create a signing key", e);
        }
    }

    private PrivateKey privateKey(SigningKey key) {
        byte[] pkcs8 = cipher.decrypt(key.getPrivateKeyCiphertext(), SigningKey.privateKeyContext(key.getKid()));
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key is unreadable", e);
        }
    }

    private static PublicJsonWebKey parse(String json) {
        try {
            return PublicJsonWebKey.Factory.newPublicJwk(json);
        } catch (JoseException e) {
            throw new IllegalStateException("stored public key is unreadable", e);
        }
    }

    /** The key that signs new tokens. */
    public record ActiveKey(String kid, PrivateKey privateKey) {
    }

    private record KeySet(ActiveKey active, Map<String, PublicKey> published, Map<String, Object> jwks) {
    }
}
