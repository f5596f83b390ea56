package io.gatehouse.token;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A key Gatehouse signs its JWTs with; the private half is ciphertext under the master key. */
@Entity
@Table(name = "signing_keys")
public class SigningKey {

    @Id
    private UUID id;
    private String kid;
    private String algorithm;
    /** The public key as a JWK (JSON). */
    private String publicKey;
    private String privateKeyCiphertext;
    private String status;
    private Instant createdAt;
    private Instant retiredAt;

    protected SigningKey() {
    }

    public SigningKey(UUID id, String kid, String algorithm, String publicKey, String privateKeyCiphertext, Instant now) {
        this.id = id;
        this.kid = kid;
        this.algorithm = algorithm;
        this.publicKey = publicKey;
        this.privateKeyCiphertext = privateKeyCiphertext;
        this.status = "active";
        this.createdAt = now;
    }

    /** Associated data binding the private key's ciphertext to this key. */
    static String privateKeyContext(String kid) {
        return "signing-key:" + kid + ":private";
    }

    public UUID getId() { return id; }
    public String getKid() { return kid; }
    public String getAlgorithm() { return algorithm; }
    public String getPublicKey() { return publicKey; }
    public String getPrivateKeyCiphertext() { return privateKeyCiphertext; }
    public String getStatus() { return status; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getRetiredAt() { return retiredAt; }
    public void retire(Instant now) { this.status = "retired"; this.retiredAt = now; }
}
