package io.gatehouse.platform;

import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/** The caller of the current request, as the authentication mechanism established it. */
@ApplicationScoped
public class Callers {

    private final SecurityIdentity identity;

    public Callers(SecurityIdentity identity) {
        this.identity = identity;
    }

    public Caller current() {
        Caller caller = identity.getAttribute(Caller.ATTRIBUTE);
        if (caller == null) {
            throw new UnauthorizedException();
        }
        return caller;
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
