package io.gatehouse.login;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A login attempt as admins read it. */
public record AttemptView(UUID id, Instant createdAt, String protocol, String outcome, String reason,
                          UUID connectionId, UUID userId, String loginHint, Map<String, String> detail,
                          String ip, String userAgent) {

    static AttemptView of(LoginAttempt a) {
        return new AttemptView(a.getId(), a.getCreatedAt(), a.getProtocol(), a.getOutcome(), a.getReason(),
                a.getConnectionId(), a.getUserId(), a.getLoginHint(), a.getDetail(), a.getIp(), a.getUserAgent());
    }
}
