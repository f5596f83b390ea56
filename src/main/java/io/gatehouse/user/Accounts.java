package io.gatehouse.user;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Callers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Several accounts under one SSO configuration: an org becomes an account of a parent (it signs in through
 * the parent's connections and shares its domains, enforcement and directory), and people of the parent's
 * configuration become members of accounts, each with its own roles. Only the operator, or an admin of both
 * sides, links; an account's admins manage their account's memberships only.
 */
@ApplicationScoped
public class Accounts {

    private static final List<String> ROLES = List.of("owner", "admin", "member", "viewer", "worker");

    private final OrgService orgs;
    private final UserRepository users;
    private final Memberships memberships;
    private final Callers callers;
    private final EntityManager em;
    private final Clock clock;
    private final io.gatehouse.token.SessionService sessions;
    private final PasswordHasher hasher;

    public Accounts(OrgService orgs, UserRepository users, Memberships memberships, Callers callers, EntityManager em, Clock clock,
                    io.gatehouse.token.SessionService sessions, PasswordHasher hasher) {
        this.hasher = hasher;
        this.sessions = sessions;
        this.orgs = orgs;
        this.users = users;
        this.memberships = memberships;
        this.callers = callers;
        this.em = em;
        this.clock = clock;
    }

    /** An account of a configuration, as its admins see it. */
    public record AccountView(UUID id, String code, String name, boolean parent, boolean isDefault) {
    }

    /** A member of an account: the person, and their roles in it. */
    public record MemberView(UUID userId, String username, String email, String displayName, List<String> roles, boolean home) {
    }

    /** {@code PUT /v1/orgs/{org}/sso-parent}: the org becomes an account of {@code parentRef}. */
    @Transactional
    public List<AccountView> link(String accountRef, String parentRef) {
        Org account = orgs.find(accountRef).orElseThrow(() -> ApiException.notFound("The org"));
        Org parent = parentRef == null ? null : orgs.find(parentRef).orElse(null);
        if (parent == null) {
            throw ApiException.invalidField("org", "names no org");
        }
        requireAdminOfBoth(account, parent);
        if (account.getId().equals(parent.getId())) {
            throw ApiException.invalidField("org", "an org cannot be its own parent");
        }
        if (parent.getSsoParentId() != null) {
            throw ApiException.conflict(parent.getCode() + " is itself an account of another org: link to that org instead");
        }
        if (hasAccounts(account.getId())) {
            throw ApiException.conflict(account.getCode() + " has accounts of its own: it cannot become an account");
        }
        if (account.getSsoParentId() != null && !account.getSsoParentId().equals(parent.getId())) {
            throw ApiException.conflict(account.getCode() + " is an account of another org: unlink it first");
        }
        long own = ((Number) em.createNativeQuery("select count(*) from connections where org_id = ?1")
                .setParameter(1, account.getId()).getSingleResult()).longValue();
        if (own > 0) {
            throw ApiException.conflict(account.getCode() + " has connections of its own: an account signs in through its parent's, "
                    + "so remove them first");
        }
        account.setSsoParentId(parent.getId());
        account.touch(clock.instant());
        return accountsOf(parent);
    }

    /**
     * {@code DELETE /v1/orgs/{org}/sso-parent}: the account leaves its parent's configuration. Its members
     * from the parent are kept as people of the account ({@code keep_users_as}): {@code pending_sso}, linked
     * by email at their first sign-in through the account's own connection; {@code password}, password users
     * whose password an admin then sets ({@code PUT …/users/{id}/password}; until then none works); or
     * {@code disabled}, kept for the record. Their sessions in it end.
     */
    @Transactional
    public int unlink(String accountRef, String keepUsersAs) {
        Org account = orgs.find(accountRef).orElseThrow(() -> ApiException.notFound("The org"));
        if (account.getSsoParentId() == null) {
            throw ApiException.notFound("The org's SSO parent");
        }
        Org parent = orgs.findById(account.getSsoParentId()).orElseThrow();
        requireAdminOfBoth(account, parent);
        String mode = keepUsersAs == null ? "pending_sso" : keepUsersAs.toLowerCase(Locale.ROOT);
        if (!List.of("pending_sso", "password", "disabled").contains(mode)) {
            throw ApiException.invalidField("keep_users_as", "must be pending_sso, password or disabled");
        }
        int kept = 0;
        for (Object[] row : memberships.membersOf(account.getId())) {
            User person = users.findById((UUID) row[0]);
            List<String> roles = memberships.roles((String) row[1]);
            if (person != null) {
                String username = users.firstFree(account.getCode() + "+" + (person.getEmail() != null ? person.getEmail() : person.getUsername()));
                User copy = new User(UUID.randomUUID(), account.getId(), username, mode.equals("password") ? User.PASSWORD : User.SSO,
                        clock.instant());
                if (mode.equals("password")) {
                    // A secret nobody knows: no password works until an admin sets one.
                    copy.setPasswordHash(hasher.hash(io.gatehouse.token.Secrets.newToken()));
                }
                copy.setEmail(person.getEmail(), person.isEmailVerified());
                copy.setDisplayName(person.getDisplayName());
                copy.setRoles(roles);
                if (mode.equals("disabled")) {
                    copy.setStatus(User.DISABLED);
                }
                users.persist(copy);
                memberships.remove(person, account.getId());
                kept++;
            }
        }
        sessions.revokeInAccount(null, account.getId());
        if (parent.getDefaultAccountId() != null && parent.getDefaultAccountId().equals(account.getId())) {
            parent.setDefaultAccountId(null);
        }
        account.setSsoParentId(null);
        account.touch(clock.instant());
        return kept;
    }

    /** The configuration's accounts (the parent first), for an admin of the org or any of its accounts' operator. */
    @Transactional
    public List<AccountView> list(String orgRef) {
        Org org = orgs.administered(orgRef);
        Org parent = org.getSsoParentId() == null ? org : orgs.findById(org.getSsoParentId()).orElseThrow();
        return accountsOf(parent);
    }

    /** {@code PUT /v1/orgs/{org}/default-account}: where just-in-time provisioning puts new people. */
    @Transactional
    public List<AccountView> setDefault(String parentRef, String accountRef) {
        Org parent = orgs.administered(parentRef);
        Org account = accountRef == null ? null : orgs.find(accountRef).orElse(null);
        if (account == null || !(account.getId().equals(parent.getId()) || parent.getId().equals(account.getSsoParentId()))) {
            throw ApiException.invalidField("org", "must be this org or one of its accounts");
        }
        parent.setDefaultAccountId(account.getId().equals(parent.getId()) ? null : account.getId());
        return accountsOf(parent);
    }

    private List<AccountView> accountsOf(Org parent) {
        List<Org> accounts = em.createQuery("select o from Org o where o.ssoParentId = ?1 order by o.code", Org.class)
                .setParameter(1, parent.getId()).getResultList();
        UUID defaultId = parent.getDefaultAccountId() == null ? parent.getId() : parent.getDefaultAccountId();
        List<AccountView> out = new java.util.ArrayList<>();
        out.add(new AccountView(parent.getId(), parent.getCode(), parent.getName(), true, defaultId.equals(parent.getId())));
        accounts.forEach(a -> out.add(new AccountView(a.getId(), a.getCode(), a.getName(), false, defaultId.equals(a.getId()))));
        return out;
    }

    // --- Members of an account ---------------------------------------------------------------------

    /** The account's members who come from its configuration's parent (its own users are under /users). */
    @Transactional
    public List<MemberView> members(String orgRef) {
        Org account = orgs.administered(orgRef);
        List<MemberView> out = new java.util.ArrayList<>();
        for (Object[] row : memberships.membersOf(account.getId())) {
            User person = users.findById((UUID) row[0]);
            if (person != null) {
                out.add(view(person, memberships.roles((String) row[1]), false));
            }
        }
        if (account.getSsoParentId() == null) {
            users.list("orgId = ?1 and homeMember = true order by username", account.getId()).stream()
                    .filter(u -> u.getStatus().equals(User.ACTIVE)).forEach(u -> out.add(view(u, u.effectiveRoles(), true)));
        }
        return out;
    }

    /**
     * {@code POST /v1/orgs/{org}/members}: an existing person of the same configuration (by username or
     * email) becomes a member of this account with these roles.
     */
    @Transactional
    public MemberView add(String orgRef, String who, List<String> roles) {
        Org account = orgs.administered(orgRef);
        List<String> checked = roles(roles);
        User person = person(account, who).orElseThrow(() -> ApiException.invalidField("user",
                "names nobody of this SSO configuration (people appear once they have signed in, or were provisioned)"));
        memberships.put(person, account.getId(), checked);
        return view(person, checked, person.getOrgId().equals(account.getId()));
    }

    /** {@code PATCH …/members/{user_id}}: the member's roles in this account. */
    @Transactional
    public MemberView change(String orgRef, UUID userId, List<String> roles) {
        Org account = orgs.administered(orgRef);
        User person = member(account, userId);
        List<String> checked = roles(roles);
        memberships.put(person, account.getId(), checked);
        return view(person, checked, person.getOrgId().equals(account.getId()));
    }

    /** {@code DELETE …/members/{user_id}}: the person leaves this account; their sessions in it end. */
    @Transactional
    public void remove(String orgRef, UUID userId) {
        Org account = orgs.administered(orgRef);
        User person = member(account, userId);
        memberships.remove(person, account.getId());
        sessions.revokeInAccount(person.getId(), account.getId());
    }

    private User member(Org account, UUID userId) {
        return Optional.ofNullable(users.findById(userId)).filter(u -> u.getOrgId().equals(account.configurationId()))
                .filter(u -> memberships.in(u, account.getId()).isPresent())
                .orElseThrow(() -> ApiException.notFound("The member"));
    }

    /** A person of the account's configuration (their user row is in its parent, or in it when it is the parent). */
    private Optional<User> person(Org account, String who) {
        if (who == null || who.isBlank()) {
            return Optional.empty();
        }
        String value = who.strip().toLowerCase(Locale.ROOT);
        UUID home = account.configurationId();
        return users.find("orgId = ?1 and (lower(username) = ?2 or lower(email) = ?2)", home, value).firstResultOptional();
    }

    private static List<String> roles(List<String> roles) {
        if (roles == null || roles.isEmpty()) {
            return List.of("member");
        }
        for (String role : roles) {
            if (!ROLES.contains(role)) {
                throw ApiException.invalidField("roles", "must be among " + String.join(", ", ROLES) + "; " + role + " is not");
            }
        }
        return List.copyOf(roles);
    }

    private MemberView view(User u, List<String> roles, boolean home) {
        return new MemberView(u.getId(), u.getUsername(), u.getEmail(), u.getDisplayName(), roles, home);
    }

    private boolean hasAccounts(UUID orgId) {
        return ((Number) em.createNativeQuery("select count(*) from orgs where sso_parent_id = ?1").setParameter(1, orgId)
                .getSingleResult()).longValue() > 0;
    }


    /** The operator; or a person who administers both orgs (through their token's org, or a membership there). */
    private void requireAdminOfBoth(Org a, Org b) {
        Caller caller = callers.current();
        if (caller.operator()) {
            return;
        }
        if (!adminIn(caller, a) || !adminIn(caller, b)) {
            if (!caller.canSee(a.getId()) && !caller.canSee(b.getId())) {
                throw ApiException.notFound("The org");
            }
            throw ApiException.forbidden("Linking accounts needs an admin of both orgs (or the operator).");
        }
    }

    private boolean adminIn(Caller caller, Org org) {
        if (caller.canAdminister(org.getId())) {
            return true;
        }
        User user = caller.userId() == null ? null : users.findById(caller.userId());
        return user != null && memberships.in(user, org.getId())
                .map(m -> m.roles().contains("admin") || m.roles().contains("owner")).orElse(false);
    }
}
