package io.gatehouse.login;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Callers;
import io.gatehouse.user.User;
import io.gatehouse.user.UserService;
import io.gatehouse.user.UserView;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Who the caller is, read fresh from the database. */
@ApplicationScoped
public class MeService {

    private final Callers callers;
    private final UserService users;
    private final OrgService orgs;
    private final io.gatehouse.user.Memberships memberships;

    public MeService(Callers callers, UserService users, OrgService orgs, io.gatehouse.user.Memberships memberships) {
        this.memberships = memberships;
        this.callers = callers;
        this.users = users;
        this.orgs = orgs;
    }

    @Transactional
    public MeView current() {
        Caller caller = callers.current();
        if (caller.operator()) {
            throw ApiException.forbidden("The operator token belongs to no user.");
        }
        User user = memberships.person(caller.orgId(), caller.userId())
                .orElseThrow(() -> ApiException.unauthorized("This token's user no longer exists."));
        Org org = orgs.findById(caller.orgId()).orElseThrow();
        return new MeView(UserView.of(user), new MeView.OrgRef(org.getId(), org.getCode(), org.getName()), caller.sessionId());
    }
}
