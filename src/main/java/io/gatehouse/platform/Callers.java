package io.gatehouse.platform;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller of the current request, as the authentication mechanism established it. */
@ApplicationScoped
public class Callers {

    /** A caller stood in for the signed-in one, around one action of a page that has no signed-in caller. */
    private static final ThreadLocal<Caller> STAND_IN = new ThreadLocal<>();

    private final SecurityIdentity identity;

    public Callers(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller current() {
        Caller standIn = STAND_IN.get();
        if (standIn != null) {
            return standIn;
        }
        Caller caller = identity.getAttribute(Caller.ATTRIBUTE);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        return caller;
    }

    /**
     * Runs one action with {@code caller} as the current caller, on this thread only, then restores the one
     * before. For the setup pages, which act for a setup link's org around exactly the SSO, domain and
     * directory calls the link's scope allows; never around anything else.
     */
    public <T> T actingAs(Caller caller, java.util.function.Supplier<T> action) {
        Caller before = STAND_IN.get();
        STAND_IN.set(caller);
        try {
            return action.get();
        } finally {
            if (before == null) {
                STAND_IN.remove();
            } else {
                STAND_IN.set(before);
            }
        }
    }

    /** Only the platform operator may go on. */
    public Caller requireOperator() {
        Caller caller = current();
        if (!caller.operator()) {
            throw ApiException.forbidden("Only the platform operator may do this.");
        }
        return caller;
    }
}
