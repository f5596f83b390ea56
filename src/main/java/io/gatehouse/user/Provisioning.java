package io.gatehouse.user;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.AccessChanges;
import io.gatehouse.platform.Validation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * People as an org's directory (SCIM) provisions them: created, or adopted when JIT or an admin made
 * them first (matched within the org by external id, username or verified email, never across orgs);
 * changed; deprovisioned (disabled, their sessions and tokens refused on every replica at once) and
 * restored. The same namespace rules as every username: an email-shaped userName or an email must be at
 * a domain the org verified, and no userName may be another org's code or {@code <code>+…}.
 */
@ApplicationScoped
public class Provisioning {

    /** What the directory says of a person. */
    public record Person(String userName, String externalId, String email, String displayName, boolean active) {
    }

    /** A refusal, with the SCIM error type ({@code invalidValue}, {@code uniqueness}) and the reason. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String scimType;

        public Refused(int status, String scimType, String detail) {
            super(detail, null, false, false);
            this.status = status;
            this.scimType = scimType;
        }

        public int status() {
            return status;
        }

        public String scimType() {
            return scimType;
        }
    }

    private final UserRepository users;
    private final OrgService orgs;
    private final Event<Object> changes;
    private final Clock clock;

    public Provisioning(UserRepository users, OrgService orgs, Event<Object> changes, Clock clock) {
        this.users = users;
        this.orgs = orgs;
        this.changes = changes;
        this.clock = clock;
    }

    /** The org's provisioned person with this id (people never provisioned, or deleted, are not the directory's). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> find(UUID orgId, UUID id) {
        return users.findByOrgAndId(orgId, id).filter(u -> u.getProvisionedAt() != null);
    }

    /** The org's provisioned person with this userName (compared as sign-in compares it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> findByUserName(UUID orgId, String userName) {
        return users.findByUsername(userName.strip()).filter(u -> u.getOrgId().equals(orgId) && u.getProvisionedAt() != null);
    }

    /** The org's provisioned person with this external id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> findByExternalId(UUID orgId, String externalId) {
        return users.find("orgId = ?1 and externalId = ?2 and provisionedAt is not null", orgId, externalId).firstResultOptional();
    }

    /** The org's provisioned people with this email (case-insensitive). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<User> findByEmail(UUID orgId, String email) {
        return users.find("orgId = ?1 and lower(email) = ?2 and provisionedAt is not null order by createdAt, id",
                orgId, email.strip().toLowerCase(Locale.ROOT)).list();
    }

    /** Every provisioned person of the org, oldest first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<User> list(UUID orgId) {
        return users.find("orgId = ?1 and provisionedAt is not null order by createdAt, id", orgId).list();
    }

    /**
     * Creates the person, or adopts the org's existing one with the same external id, username or
     * verified email (made by JIT or an admin). A person the directory already provisioned is a conflict.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public User provision(Org org, Person person) {
        check(org, person, null);
        User existing = match(org, person);
        if (existing != null && existing.getProvisionedAt() != null) {
            throw new Refused(409, "uniqueness", "A user with this userName or externalId is already provisioned.");
        }
        Instant now = clock.instant();
        User user = existing;
        if (user == null) {
            if (users.usernameTaken(person.userName())) {
                throw new Refused(409, "uniqueness", "The userName is taken.");
            }
            user = new User(UUID.randomUUID(), org.getId(), person.userName().strip(), User.SSO, now);
            user.setRoles(List.of(org.getJitDefaultRole()));
            users.persist(user);
        }
        user.setProvisionedAt(now);
        apply(org, user, person, now);
        users.flush();
        return user;
    }

    /** Replaces what the directory says of a provisioned person. */
    @Transactional(Transactional.TxType.MANDATORY)
    public User update(Org org, User user, Person person) {
        check(org, person, user);
        apply(org, user, person, clock.instant());
        users.flush();
        return user;
    }

    /**
     * The directory deleted the person: disabled and no longer the directory's (a later create adopts
     * them again); their sessions and tokens are refused at once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void remove(User user) {
        Instant now = clock.instant();
        setActive(user, false, now);
        user.setProvisionedAt(null);
        user.setExternalId(null);
        user.touch(now);
    }

    /**
     * The directory deleted the person and the org deletes what its directory deletes: signed out
     * everywhere (their sessions revoked, their token version raised), then deleted with their links.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delete(User user) {
        changes.fire(new AccessChanges.UserDeprovisioned(user.getOrgId(), user.getId()));
        changes.fire(new AccessChanges.UserChanged(user.getOrgId(), user.getId()));
        users.delete(user);
        users.flush();
    }

    /** Sets the roles the person's groups give; a change takes effect at once. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setGroupRoles(User user, List<String> roles) {
        if (!new java.util.HashSet<>(roles).equals(new java.util.HashSet<>(user.getGroupRoles()))) {
            user.setGroupRoles(roles);
            user.touch(clock.instant());
            changes.fire(new AccessChanges.UserChanged(user.getOrgId(), user.getId()));
        }
    }

    private void apply(Org org, User user, Person person, Instant now) {
        String userName = person.userName().strip();
        if (!userName.equalsIgnoreCase(user.getUsername()) && users.usernameTaken(userName)) {
            throw new Refused(409, "uniqueness", "The userName is taken.");
        }
        if (!userName.equals(user.getUsername())) {
            user.rename(userName);
        }
        user.setExternalId(person.externalId());
        // At one of the org's verified domains (checked): the org vouches for it.
        user.setEmail(person.email() == null ? null : person.email().strip().toLowerCase(Locale.ROOT), person.email() != null);
        if (person.displayName() != null && !person.displayName().isBlank()) {
            user.setDisplayName(person.displayName().strip());
        }
        setActive(user, person.active(), now);
        user.touch(now);
    }

    private void setActive(User user, boolean active, Instant now) {
        boolean wasActive = user.getStatus().equals(User.ACTIVE);
        if (active && user.getDeprovisionedAt() != null) {
            user.setStatus(User.ACTIVE);
            user.setDeprovisionedAt(null);
        } else if (!active && wasActive) {
            user.setStatus(User.DISABLED);
            user.setDeprovisionedAt(now);
            changes.fire(new AccessChanges.UserDeprovisioned(user.getOrgId(), user.getId()));
        }
        if (wasActive != user.getStatus().equals(User.ACTIVE)) {
            changes.fire(new AccessChanges.UserChanged(user.getOrgId(), user.getId()));
        }
    }

    /** The org's person this directory entry is: same external id, else username, else verified email. */
    private User match(Org org, Person person) {
        if (person.externalId() != null) {
            Optional<User> byExternal = users.find("orgId = ?1 and externalId = ?2", org.getId(), person.externalId()).firstResultOptional();
            if (byExternal.isPresent()) {
                return byExternal.get();
            }
        }
        Optional<User> byName = users.findByUsername(person.userName().strip());
        if (byName.isPresent()) {
            if (!byName.get().getOrgId().equals(org.getId())) {
                throw new Refused(409, "uniqueness", "The userName is taken.");
            }
            return byName.get();
        }
        return person.email() == null ? null : users.findByOrgAndEmail(org.getId(), person.email()).orElse(null);
    }

    private void check(Org org, Person person, User current) {
        String name = person.userName() == null ? "" : person.userName().strip();
        if (name.isEmpty() || name.length() > 256 || name.chars().anyMatch(Character::isISOControl)) {
            throw new Refused(400, "invalidValue", "userName is required (1 to 256 characters).");
        }
        if (current == null || !name.equalsIgnoreCase(current.getUsername())) {
            Usernames.problem(org, name, orgs.find(Usernames.codePart(name))).ifPresent(problem -> {
                throw new Refused(400, "invalidValue", "userName " + problem + ".");
            });
        }
        if (person.email() != null) {
            String email = person.email().strip().toLowerCase(Locale.ROOT);
            if (!Validation.isEmail(email)) {
                throw new Refused(400, "invalidValue", "emails: " + person.email() + " is not an email address.");
            }
            String domain = email.substring(email.lastIndexOf('@') + 1);
            if (!org.getDomains().contains(domain)) {
                throw new Refused(400, "invalidValue", "emails: " + domain + " is not a domain the organization has verified.");
            }
        }
        if (person.externalId() != null && (person.externalId().isBlank() || person.externalId().length() > 256)) {
            throw new Refused(400, "invalidValue", "externalId must be 1 to 256 characters.");
        }
    }
}
