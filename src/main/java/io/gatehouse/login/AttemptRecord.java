package io.gatehouse.login;

import java.util.Map;
import java.util.UUID;

/**
 * What to log about one attempt. {@code reason} is null on success; {@code detail} holds the
 * expected-vs-received values an admin needs, never a credential.
 */
public record AttemptRecord(String protocol, UUID orgId, UUID connectionId, UUID userId, LoginFailure reason,
                            String loginHint, Map<String, String> detail, ClientInfo client) {

    /** Where the attempt came from. */
    public record ClientInfo(String ip, String userAgent) {

        /** The peer address and User-Agent of a request. */
        public static ClientInfo of(io.vertx.core.http.HttpServerRequest request) {
            return new ClientInfo(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                    request.getHeader("User-Agent"));
        }
    }
}
