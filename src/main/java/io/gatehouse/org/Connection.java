package io.gatehouse.org;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.UUID;

/** One identity provider configured for one org. */
@Entity
@Table(name = "connections")
@jakarta.persistence.EntityListeners(SignInChanges.class)
public class Connection {

    @Id
    private UUID id;
    private UUID orgId;
    private ConnectionType type;
    private String name;
    private boolean enabled;
    @Column(name = "is_default")
    private boolean isDefault;
    @JdbcTypeCode(SqlTypes.JSON)
    private ConnectionSettings settings;
    private String clientSecretCiphertext;
    private Instant clientSecretExpiresAt;
    @JdbcTypeCode(SqlTypes.JSON)
    private SamlIdp samlIdp;
    private String samlMetadataXml;
    private Instant samlMetadataUpdatedAt;
    private String spPrivateKeyCiphertext;
    private String spCertificate;
    private Instant createdAt;
    private Instant updatedAt;
    private boolean draft;
    private Instant testedAt;
    private Instant activatedAt;
    private boolean activatedUntested;

    protected Connection() {
    }

    public Connection(UUID id, UUID orgId, ConnectionType type, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.type = type;
        this.settings = ConnectionSettings.EMPTY;
        this.enabled = true;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Associated data binding the client secret's ciphertext to this connection. */
    public String secretContext() {
        return "connection:" + id + ":client_secret";
    }

    /** Made through setup and not yet switched on: nobody signs in through it but a test sign-in. */
    public boolean isDraft() { return draft; }
    public Instant getTestedAt() { return testedAt; }
    public Instant getActivatedAt() { return activatedAt; }
    public boolean isActivatedUntested() { return activatedUntested; }

    /** Starts as a draft: off for everyone until activated. */
    void makeDraft() {
        this.draft = true;
        this.enabled = false;
    }

    void markTested(Instant when) {
        this.testedAt = when;
    }

    /** Switched on for everyone; activated without a good test sign-in is kept as such. */
    void activate(Instant when) {
        this.draft = false;
        this.enabled = true;
        this.activatedAt = when;
        this.activatedUntested = testedAt == null;
    }

    public UUID getId() { return id; }
    public UUID getOrgId() { return orgId; }
    public ConnectionType getType() { return type; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public boolean isEnabled() { return enabled; }
    public void setEnabled(boolean enabled) { this.enabled = enabled; }
    public boolean isDefault() { return isDefault; }
    public void setDefault(boolean isDefault) { this.isDefault = isDefault; }
    public ConnectionSettings getSettings() { return settings; }
    public void setSettings(ConnectionSettings settings) { this.settings = settings; }
    public String getClientSecretCiphertext() { return clientSecretCiphertext; }
    public void setClientSecretCiphertext(String ciphertext) { this.clientSecretCiphertext = ciphertext; }
    public Instant getClientSecretExpiresAt() { return clientSecretExpiresAt; }
    public void setClientSecretExpiresAt(Instant expiresAt) { this.clientSecretExpiresAt = expiresAt; }
    public SamlIdp getSamlIdp() { return samlIdp; }
    public String getSamlMetadataXml() { return samlMetadataXml; }
    public Instant getSamlMetadataUpdatedAt() { return samlMetadataUpdatedAt; }
    public void setSamlMetadata(SamlIdp idp, String xml, Instant at) {
        this.samlIdp = idp;
        this.samlMetadataXml = xml;
        this.samlMetadataUpdatedAt = at;
    }
    public String getSpPrivateKeyCiphertext() { return spPrivateKeyCiphertext; }
    public String getSpCertificate() { return spCertificate; }
    public void setSpKey(String privateKeyCiphertext, String certificatePem) {
        this.spPrivateKeyCiphertext = privateKeyCiphertext;
        this.spCertificate = certificatePem;
    }

    /** Associated data binding the SP private key's ciphertext to this connection. */
    public String spKeyContext() {
        return "connection:" + id + ":sp_private_key";
    }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public void touch(Instant now) { this.updatedAt = now; }
}
