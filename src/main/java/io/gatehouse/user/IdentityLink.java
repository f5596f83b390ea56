package io.gatehouse.user;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.NaturalId;

import java.time.Instant;
import java.util.UUID;

/** (connection, external subject) → user: how an IdP's person is known to Gatehouse. */
@Entity
@Table(name = "identity_links")
public class IdentityLink {

    @Id
    private UUID id;
    // The natural id (unique with connection_id, subject alone): a link this transaction has read or made is
    // found again without a query (IdentityLinkRepository).
    @NaturalId
    private UUID orgId;
    @NaturalId
    private UUID connectionId;
    @NaturalId
    private String subject;
    private UUID userId;
    private Instant createdAt;
    private Instant lastLoginAt;

    protected IdentityLink() {
    }

    public IdentityLink(UUID id, UUID orgId, UUID connectionId, String subject, UUID userId, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.connectionId = connectionId;
        this.subject = subject;
        this.userId = userId;
        this.createdAt = now;
        this.lastLoginAt = now;
    }

    public UUID getId() { return id; }
    public UUID getOrgId() { return orgId; }
    public UUID getConnectionId() { return connectionId; }
    public String getSubject() { return subject; }
    public UUID getUserId() { return userId; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getLastLoginAt() { return lastLoginAt; }
    public void setLastLoginAt(Instant lastLoginAt) { this.lastLoginAt = lastLoginAt; }
}
