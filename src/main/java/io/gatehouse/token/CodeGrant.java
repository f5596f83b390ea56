package io.gatehouse.token;

import java.util.UUID;

/** What a consumed one-time code was issued for. */
public record CodeGrant(UUID sessionId, String clientId, String redirectUri, String codeChallenge) {
}
