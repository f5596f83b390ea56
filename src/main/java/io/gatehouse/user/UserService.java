package io.gatehouse.user;

import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.AccessChanges;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Caller;
import io.gatehouse.platform.Callers;
import io.gatehouse.platform.Page;
import io.gatehouse.platform.MergePatch;
import io.gatehouse.platform.Validation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Users of an org: listing, password users, role and status changes, conversion to SSO. */
@ApplicationScoped
public class UserService {

    private final UserRepository users;
    private final IdentityLinkRepository links;
    private final OrgService orgs;
    private final ConnectionService connections;
    private final PasswordHasher hasher;
    private final Callers callers;
    private final Clock clock;

    public UserService(UserRepository users, IdentityLinkRepository links, OrgService orgs,
                       ConnectionService connections, PasswordHasher hasher, Callers callers, Clock clock,
                       jakarta.enterprise.event.Event<Object> changes) {
        this.changes = changes;
        this.users = users;
        this.links = links;
        this.orgs = orgs;
        this.connections = connections;
        this.hasher = hasher;
        this.callers = callers;
        this.clock = clock;
    }

    /** Changes that take effect at once (AccessChanges), carried out in the transaction that makes them. */
    private final jakarta.enterprise.event.Event<Object> changes;

    @Transactional
    public Page<UserView> list(String orgRef, String query, String after, Integer limit) {
        Org org = orgs.administered(orgRef);
        int size = Page.limit(limit);
        List<User> page = users.listPage(org.getId(), query, after, size + 1);
        String next = page.size() > size ? page.get(size - 1).getUsername() : null;
        return new Page<>(page.stream().limit(size).map(UserView::of).toList(), next);
    }

    @Transactional
    public UserView get(String orgRef, UUID id) {
        return UserView.of(owned(orgs.administered(orgRef), id));
    }

    /** Creates a password user. The hash is computed before the transaction's row locks are taken. */
    @Transactional
    public UserView createPasswordUser(String orgRef, UserRequest request) {
        Org org = orgs.administered(orgRef);
        checkEmail(request.email());
        List<String> roles = request.roles() == null ? List.of(org.getJitDefaultRole()) : distinct(request.roles());
        checkRoleChange(List.of(), roles);
        Usernames.problem(org, request.username(), orgs.find(Usernames.codePart(request.username())))
                .ifPresent(problem -> {
                    throw ApiException.invalidField("username", problem);
                });
        if (users.usernameTaken(request.username())) {
            throw ApiException.conflict("The username '" + request.username() + "' is taken.");
        }
        Instant now = clock.instant();
        User user = new User(UUID.randomUUID(), org.getId(), request.username(), User.PASSWORD, now);
        user.setPasswordHash(hasher.hash(request.password()));
        user.setEmail(normalizeEmail(request.email()), true);
        user.setDisplayName(request.displayName());
        user.setRoles(roles);
        if (request.status() != null) {
            user.setStatus(request.status());
        }
        users.persist(user);
        users.flush();
        return UserView.of(user);
    }

    /**
     * An admin sets a password user's password (hashed before the row is touched); their sessions end, as
     * a reset must. An SSO user has none to set.
     */
    public void setPassword(String orgRef, UUID id, String password) {
        String hash = hasher.hash(password);
        io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().run(() -> {
            User user = owned(orgs.administered(orgRef), id);
            if (!User.PASSWORD.equals(user.getAuthMode())) {
                throw ApiException.conflict("This user signs in with single sign-on and has no password.");
            }
            user.setPasswordHash(hash);
            user.touch(clock.instant());
            changes.fire(new AccessChanges.PasswordSet(user.getOrgId(), user.getId()));
        });
    }

    /** Fields a change may remove (give as null): the user then has no email or display name. */
    static final Set<String> REMOVABLE = Set.of("email", "display_name");

    @Transactional
    public UserView update(String orgRef, UUID id, UserRequest request) {
        return update(orgRef, id, request, Set.of());
    }

    /** Changes the fields given, and removes those named in {@code removed} (only email and display_name). */
    @Transactional
    public UserView update(String orgRef, UUID id, UserRequest request, Set<String> removed) {
        Org org = orgs.administered(orgRef);
        User user = owned(org, id);
        MergePatch.refuseRemoving(removed, REMOVABLE);
        if (request.username() != null && !request.username().equals(user.getUsername())) {
            throw ApiException.invalidField("username", "cannot be changed");
        }
        if (request.password() != null) {
            throw ApiException.invalidField("password", "cannot be changed through this endpoint");
        }
        checkEmail(request.email());
        Caller caller = callers.current();
        boolean self = user.getId().equals(caller.userId());
        // Roles or status changed: the person's older tokens are refused everywhere (one version raise).
        boolean accessChanged = false;
        if (request.roles() != null) {
            List<String> roles = distinct(request.roles());
            checkRoleChange(user.getRoles(), roles);
            if (self && caller.canAdminister(org.getId()) && roles.stream().noneMatch(r -> r.equals("admin") || r.equals("owner"))) {
                throw ApiException.unprocessable("self-lockout", "You cannot remove your own admin rights; ask another admin.");
            }
            accessChanged = !roles.equals(user.getRoles());
            user.setRoles(roles);
        }
        if (request.status() != null) {
            if (self && request.status().equals(User.DISABLED)) {
                throw ApiException.unprocessable("self-lockout", "You cannot disable yourself.");
            }
            accessChanged |= !request.status().equals(user.getStatus());
            user.setStatus(request.status());
        }
        if (request.email() != null) {
            user.setEmail(normalizeEmail(request.email()), true);
        }
        if (request.displayName() != null) {
            user.setDisplayName(request.displayName());
        }
        if (removed.contains("email")) {
            user.setEmail(null, true);
        }
        if (removed.contains("display_name")) {
            user.setDisplayName(null);
        }
        if (accessChanged) {
            changes.fire(new AccessChanges.UserChanged(org.getId(), user.getId()));
        }
        user.touch(clock.instant());
        users.flush();
        return UserView.of(user);
    }

    @Transactional
    public UserView convertToSso(String orgRef, UUID id) {
        Org org = orgs.administered(orgRef);
        User user = owned(org, id);
        requireSsoReady(org);
        if (!user.getAuthMode().equals(User.PASSWORD)) {
            throw ApiException.conflict("This user already signs in with SSO.");
        }
        user.convertToSso(clock.instant());
        changes.fire(new AccessChanges.UserChanged(org.getId(), user.getId()));
        users.flush();
        return UserView.of(user);
    }

    @Transactional
    public ConversionResult convertAllToSso(String orgRef) {
        Org org = orgs.administered(orgRef);
        requireSsoReady(org);
        Instant now = clock.instant();
        List<User> passwordUsers = users.listPasswordUsers(org.getId());
        passwordUsers.forEach(u -> {
            u.convertToSso(now);
            changes.fire(new AccessChanges.UserChanged(org.getId(), u.getId()));
        });
        users.flush();
        return new ConversionResult(passwordUsers.size());
    }

    /** Ends the user's password lockout, if any: failed sign-ins until now stop counting. */
    @Transactional
    public UserView unlockPassword(String orgRef, UUID id) {
        User user = owned(orgs.administered(orgRef), id);
        user.unlockPassword(clock.instant());
        users.flush();
        return UserView.of(user);
    }

    /** The user with this username, in whichever org: for sign-in, which has no caller yet. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> findByUsername(String username) {
        return users.findByUsername(username);
    }

    /** The user of this org with this id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> find(UUID orgId, UUID id) {
        return users.findByOrgAndId(orgId, id);
    }

    /**
     * Serializes sign-ins of one external identity, and of one email in one org, across replicas until
     * the transaction ends; the unique constraints on links and usernames are the backstop.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lockExternalIdentity(UUID orgId, UUID connectionId, String subject, String email) {
        links.lock("identity:" + connectionId + ":" + subject);
        if (email != null) {
            links.lock("email:" + orgId + ":" + email.toLowerCase(Locale.ROOT));
        }
    }

    /** The user this external identity is linked to, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> findLinked(UUID orgId, UUID connectionId, String subject) {
        return links.findByConnectionAndSubject(orgId, connectionId, subject)
                .flatMap(link -> users.findByOrgAndId(orgId, link.getUserId()));
    }

    /** The org's user with this email (case-insensitive), if any; the oldest when several share it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> findByEmail(UUID orgId, String email) {
        return users.findByOrgAndEmail(orgId, email);
    }

    /**
     * Creates an SSO user named by their email where the org verified its domain, else by
     * {@code <org code>+<email>} (see {@link Usernames#forJit}); a suffix is added when that username is taken.
     *
     * @param emailVerified whether the email may find this user later (an unverified one is profile data only)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public User createSsoUser(Org org, String email, boolean emailVerified, String displayName) {
        String username = users.firstFree(Usernames.forJit(org, normalizeEmail(email)));
        User user = new User(UUID.randomUUID(), org.getId(), username, User.SSO, clock.instant());
        user.setEmail(normalizeEmail(email), emailVerified);
        user.setDisplayName(displayName);
        user.setRoles(List.of(org.getJitDefaultRole()));
        users.persist(user);
        return user;
    }

    /** Links the external identity to the user and records the sign-in. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void link(UUID orgId, UUID connectionId, String subject, User user) {
        links.persist(new IdentityLink(UUID.randomUUID(), orgId, connectionId, subject, user.getId(), clock.instant()));
    }

    /** Refreshes name and email (and whether that email is verified) from the IdP and records the sign-in time. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordSsoLogin(User user, UUID connectionId, String subject, String email, boolean emailVerified,
                               String displayName) {
        Instant now = clock.instant();
        if (email != null) {
            user.setEmail(normalizeEmail(email), emailVerified);
        }
        if (displayName != null && !displayName.isBlank()) {
            user.setDisplayName(displayName);
        }
        user.setLastLoginAt(now);
        user.touch(now);
        links.findByConnectionAndSubject(user.getOrgId(), connectionId, subject).ifPresent(l -> l.setLastLoginAt(now));
    }

    /** Whether the password is this user's; takes the same time for a null user. */
    public boolean passwordMatches(User user, String password) {
        return hasher.verify(password, user == null ? null : user.getPasswordHash());
    }

    private void requireSsoReady(Org org) {
        if (!connections.hasEnabledConnection(org.getId())) {
            throw ApiException.unprocessable("no-sso-connection",
                    "The org has no enabled SSO connection; add one first, or these users could not sign in.");
        }
    }

    /** Only an owner (or the operator) may give or take the owner role. */
    private void checkRoleChange(List<String> before, List<String> after) {
        Caller caller = callers.current();
        if (before.contains("owner") != after.contains("owner") && !caller.operator() && !caller.isOwner()) {
            throw ApiException.forbidden("Only an owner may give or take the owner role.");
        }
    }

    private User owned(Org org, UUID id) {
        return users.findByOrgAndId(org.getId(), id).orElseThrow(() -> ApiException.notFound("User " + id));
    }

    private static void checkEmail(String email) {
        if (email != null && !Validation.isEmail(email)) {
            throw ApiException.invalidField("email", "must be an email address");
        }
    }

    private static String normalizeEmail(String email) {
        return email == null ? null : email.strip().toLowerCase(Locale.ROOT);
    }

    private static List<String> distinct(List<String> roles) {
        return List.copyOf(new LinkedHashSet<>(roles));
    }
}
