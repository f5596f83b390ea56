package io.gatehouse.login;

import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** One sign-in attempt and how it ended. Never holds a credential, token or SAML response. */
@Entity
@Table(name = "login_attempts")
public class LoginAttempt {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long seq;
    private UUID id;
    private UUID orgId;
    private UUID connectionId;
    private UUID userId;
    private String protocol;
    /** {@code login} or {@code logout}. */
    private String kind = "login";
    private String outcome;
    private String reason;
    private String loginHint;
    @JdbcTypeCode(SqlTypes.JSON)
    private Map<String, String> detail;
    private String ip;
    private String userAgent;
    private Instant createdAt;

    protected LoginAttempt() {
    }

    public LoginAttempt(UUID id, String protocol, Instant now) {
        this.id = id;
        this.protocol = protocol;
        this.createdAt = now;
        this.detail = Map.of();
    }

    public Long getSeq() { return seq; }
    public UUID getId() { return id; }
    public UUID getOrgId() { return orgId; }
    public void setOrgId(UUID orgId) { this.orgId = orgId; }
    public UUID getConnectionId() { return connectionId; }
    public void setConnectionId(UUID connectionId) { this.connectionId = connectionId; }
    public UUID getUserId() { return userId; }
    public void setUserId(UUID userId) { this.userId = userId; }
    public String getProtocol() { return protocol; }
    public String getOutcome() { return outcome; }
    public void setOutcome(String outcome) { this.outcome = outcome; }
    public String getReason() { return reason; }
    public void setReason(String reason) { this.reason = reason; }
    public String getLoginHint() { return loginHint; }
    public void setLoginHint(String loginHint) { this.loginHint = loginHint; }
    public Map<String, String> getDetail() { return detail; }
    public void setDetail(Map<String, String> detail) { this.detail = detail; }
    public String getIp() { return ip; }
    public void setIp(String ip) { this.ip = ip; }
    public String getUserAgent() { return userAgent; }
    public void setUserAgent(String userAgent) { this.userAgent = userAgent; }
    public Instant getCreatedAt() { return createdAt; }

    public String getKind() { return kind; }
    public void setKind(String kind) { this.kind = kind; }
}
