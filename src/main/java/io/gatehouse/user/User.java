package io.gatehouse.user;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** A person of one org. The username is unique across all orgs (case-insensitively). */
@Entity
@Table(name = "users")
public class User {

    /** How a user signs in. */
    public static final String PASSWORD = "password";
    public static final String SSO = "sso";
    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";

    @Id
    private UUID id;
    private UUID orgId;
    private String username;
    private String email;
    private boolean emailVerified = true;
    private String displayName;
    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> roles = new ArrayList<>();
    private String authMode;
    private String passwordHash;
    private String status;
    private Instant convertedToSsoAt;
    private Instant lastLoginAt;
    private Instant passwordUnlockedAt;
    private Instant createdAt;
    private Instant updatedAt;
    private boolean homeMember = true;
    private Instant homeLastUsedAt;
    /** The IdP's id of this person (SCIM {@code externalId}), unique within the org. */
    private String externalId;
    /** When directory sync first created or adopted this person. */
    private Instant provisionedAt;
    /** Set while directory sync has this person inactive or deleted. */
    private Instant deprovisionedAt;
    /** Roles from the org's group → role mappings, recomputed; kept apart from the roles given by hand. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> groupRoles = new ArrayList<>();
    /** The groups the person's last SSO sign-in carried. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> idpGroups = new ArrayList<>();

    protected User() {
    }

    public User(UUID id, UUID orgId, String username, String authMode, Instant now) {
        this.id = id;
        this.orgId = orgId;
        this.username = username;
        this.authMode = authMode;
        this.status = ACTIVE;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Moves a password user under SSO: the password is forgotten. */
    /** An admin ended the password lockout: earlier failed sign-ins no longer count. */
    public void unlockPassword(Instant at) {
        this.passwordUnlockedAt = at;
    }

    public void convertToSso(Instant now) {
        this.authMode = SSO;
        this.passwordHash = null;
        this.convertedToSsoAt = now;
        this.updatedAt = now;
    }

    /** Whether the person belongs to their own org too (people of a shared configuration may belong only to its accounts). */
    public boolean isHomeMember() { return homeMember; }
    public void setHomeMember(boolean homeMember) { this.homeMember = homeMember; }
    public Instant getHomeLastUsedAt() { return homeLastUsedAt; }
    public void setHomeLastUsedAt(Instant at) { this.homeLastUsedAt = at; }
    public UUID getId() { return id; }
    public UUID getOrgId() { return orgId; }
    public String getUsername() { return username; }
    public String getEmail() { return email; }
    /** Whether the email may find this user (set by an admin, or verified by the IdP or the org's domain). */
    public boolean isEmailVerified() { return emailVerified; }
    /** The email, and whether it is verified: an admin's is; an IdP's only as login completion decides. */
    public void setEmail(String email, boolean verified) {
        this.email = email;
        this.emailVerified = verified;
    }
    public String getDisplayName() { return displayName; }
    public void setDisplayName(String displayName) { this.displayName = displayName; }
    /** The roles given by hand (the admin API and pages). */
    public List<String> getRoles() { return roles; }

    /** What the person may do: the roles given by hand and those their groups give, each once. */
    public List<String> effectiveRoles() {
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(roles);
        all.addAll(groupRoles);
        return List.copyOf(all);
    }

    public List<String> getGroupRoles() { return groupRoles; }
    public void setGroupRoles(List<String> groupRoles) { this.groupRoles = new ArrayList<>(groupRoles); }
    public List<String> getIdpGroups() { return idpGroups; }
    public void setIdpGroups(List<String> idpGroups) { this.idpGroups = new ArrayList<>(idpGroups); }
    public String getExternalId() { return externalId; }
    public void setExternalId(String externalId) { this.externalId = externalId; }
    public Instant getProvisionedAt() { return provisionedAt; }
    public void setProvisionedAt(Instant provisionedAt) { this.provisionedAt = provisionedAt; }
    public Instant getDeprovisionedAt() { return deprovisionedAt; }
    public void setDeprovisionedAt(Instant deprovisionedAt) { this.deprovisionedAt = deprovisionedAt; }
    public void setRoles(List<String> roles) { this.roles = new ArrayList<>(roles); }
    public String getAuthMode() { return authMode; }
    public String getPasswordHash() { return passwordHash; }
    public void setPasswordHash(String passwordHash) { this.passwordHash = passwordHash; }
    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public Instant getConvertedToSsoAt() { return convertedToSsoAt; }
    public Instant getLastLoginAt() { return lastLoginAt; }
    public void setLastLoginAt(Instant lastLoginAt) { this.lastLoginAt = lastLoginAt; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public void touch(Instant now) { this.updatedAt = now; }
    /** A new username (the directory renamed the person); the caller checked the namespace and uniqueness. */
    public void rename(String username) { this.username = username; }
}
