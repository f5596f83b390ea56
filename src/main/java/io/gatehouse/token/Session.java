package io.gatehouse.token;

import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** One signed-in user on one device; its id is the {@code sid} claim. */
@Entity
@Table(name = "sessions")
// Each use of a session touches last_used_at: the update names that column alone, not the whole row.
@org.hibernate.annotations.DynamicUpdate
public class Session {

    @Id
    private UUID id;
    private UUID userId;
    private UUID orgId;
    private String amr;
    private UUID connectionId;
    private String idpSessionRef;
    private UUID accountId;
    private Instant createdAt;
    private Instant lastUsedAt;
    private Instant expiresAt;
    private Instant revokedAt;
    /** What the IdP needs to find its own session at logout, encrypted; written with the row, read only when asked for. */
    @Basic(fetch = FetchType.LAZY)
    @Column(name = "idp_logout_hint")
    private String idpLogoutHint;

    protected Session() {
    }

    public Session(UUID id, UUID userId, UUID orgId, String amr, Instant now, Instant expiresAt) {
        this.id = id;
        this.userId = userId;
        this.orgId = orgId;
        this.amr = amr;
        this.createdAt = now;
        this.lastUsedAt = now;
        this.expiresAt = expiresAt;
    }

    public UUID getId() { return id; }
    public UUID getUserId() { return userId; }
    public UUID getOrgId() { return orgId; }
    public String getAmr() { return amr; }
    public UUID getConnectionId() { return connectionId; }
    public void setConnectionId(UUID connectionId) { this.connectionId = connectionId; }
    /** The account the session is in now (another account of the person's configuration); null: its org. */
    public UUID getAccountId() { return accountId; }
    public void setAccountId(UUID accountId) { this.accountId = accountId; }
    /** The org the session's tokens name: its account, or its own org. */
    public UUID currentOrgId() { return accountId != null ? accountId : orgId; }
    public String getIdpSessionRef() { return idpSessionRef; }
    public void setIdpSessionRef(String idpSessionRef) { this.idpSessionRef = idpSessionRef; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getLastUsedAt() { return lastUsedAt; }
    public Instant getExpiresAt() { return expiresAt; }
    public Instant getRevokedAt() { return revokedAt; }
    public void revoke(Instant now) { if (revokedAt == null) { revokedAt = now; } }
    public void touch(Instant now) { this.lastUsedAt = now; }
    public boolean isActive(Instant now) { return revokedAt == null && expiresAt.isAfter(now); }
    void setIdpLogoutHint(String ciphertext) { this.idpLogoutHint = ciphertext; }
    String getIdpLogoutHint() { return idpLogoutHint; }
}
