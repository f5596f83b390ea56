package io.gatehouse.login;

import io.gatehouse.user.UserView;

import java.util.UUID;

/** The signed-in user, their org and session. */
public record MeView(UserView user, OrgRef org, UUID sessionId) {

    /** The user's org, briefly. */
    public record OrgRef(UUID id, String code, String name) {
    }
}
