package io.gatehouse.org;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** A customer organization. Its code is the company code people type, and never changes. */
@Entity
@Table(name = "orgs")
@jakarta.persistence.EntityListeners(SignInChanges.class)
public class Org {

    @Id
    private UUID id;
    private String code;
    private String name;
    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "org_domains", joinColumns = @JoinColumn(name = "org_id"))
    @Column(name = "domain")
    private Set<String> domains = new TreeSet<>();
    private boolean ssoEnforced;
    private String jitDefaultRole;
    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> allowedReturnUrls = new ArrayList<>();
    private boolean linkPasswordUsers;
    private boolean scimDeleteUsers;
    private java.time.Instant directorySyncedAt;
    private UUID ssoParentId;
    private UUID defaultAccountId;
    private Instant createdAt;
    private Instant updatedAt;

    protected Org() {
    }

    public Org(UUID id, String code, Instant now) {
        this.id = id;
        this.code = code;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public UUID getId() { return id; }
    public String getCode() { return code; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Set<String> getDomains() { return domains; }
    public void setDomains(Set<String> domains) { this.domains.clear(); this.domains.addAll(domains); }
    public boolean isSsoEnforced() { return ssoEnforced; }
    public void setSsoEnforced(boolean ssoEnforced) { this.ssoEnforced = ssoEnforced; }
    public String getJitDefaultRole() { return jitDefaultRole; }
    public void setJitDefaultRole(String jitDefaultRole) { this.jitDefaultRole = jitDefaultRole; }
    public List<String> getAllowedReturnUrls() { return allowedReturnUrls; }
    public void setAllowedReturnUrls(List<String> urls) { this.allowedReturnUrls = new ArrayList<>(urls); }
    public boolean isLinkPasswordUsers() { return linkPasswordUsers; }
    /** Whether a SCIM DELETE deletes the person (else they are disabled and kept for audit). */
    public boolean isScimDeleteUsers() { return scimDeleteUsers; }
    public void setScimDeleteUsers(boolean scimDeleteUsers) { this.scimDeleteUsers = scimDeleteUsers; }
    /** When the org's directory last changed something over SCIM. */
    public java.time.Instant getDirectorySyncedAt() { return directorySyncedAt; }
    public void setLinkPasswordUsers(boolean linkPasswordUsers) { this.linkPasswordUsers = linkPasswordUsers; }
    /** An account's parent: the org whose SSO configuration (connections, domains, directory) it shares; null for the rest. */
    public UUID getSsoParentId() { return ssoParentId; }
    public void setSsoParentId(UUID ssoParentId) { this.ssoParentId = ssoParentId; }
    /** On a parent: the account just-in-time provisioning gives new people a membership in (null: the parent). */
    public UUID getDefaultAccountId() { return defaultAccountId; }
    public void setDefaultAccountId(UUID defaultAccountId) { this.defaultAccountId = defaultAccountId; }
    /** The org whose SSO configuration serves this one: its parent, or itself. */
    public UUID configurationId() { return ssoParentId != null ? ssoParentId : id; }
    public Instant getCreatedAt() { return createdAt; }
    public Instant getUpdatedAt() { return updatedAt; }
    public void touch(Instant now) { this.updatedAt = now; }
}
