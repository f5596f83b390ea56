package io.gatehouse.user;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.AccessChanges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.query.NativeQuery;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Which accounts a person belongs to, with which roles. A person's own org (where their user row is) is a
 * membership when {@code home_member} is set, with the user's roles; each other account of the same SSO
 * configuration is a row of {@code memberships} with its own roles. A membership's change is an access
 * change: the person's older tokens stop working on every replica.
 */
@ApplicationScoped
public class Memberships {

    private final EntityManager em;
    private final OrgService orgs;
    private final Clock clock;
    private final ObjectMapper json;
    private final Event<AccessChanges.UserChanged> changes;

    public Memberships(EntityManager em, OrgService orgs, Clock clock, ObjectMapper json, Event<AccessChanges.UserChanged> changes) {
        this.em = em;
        this.orgs = orgs;
        this.clock = clock;
        this.json = json;
        this.changes = changes;
    }

    /** One membership: the account, the person's roles in it, and when they last used it. */
    public record Membership(UUID orgId, String orgCode, String orgName, List<String> roles, Instant lastUsedAt, boolean home) {
    }

    /**
     * The person behind a token: its user, whose own org is the token's org or (in an account of a shared
     * configuration) that account's parent.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<User> person(UUID tokenOrgId, UUID userId) {
        User user = userId == null ? null : em.find(User.class, userId);
        if (user == null) {
            return Optional.empty();
        }
        if (user.getOrgId().equals(tokenOrgId)) {
            return Optional.of(user);
        }
        return orgs.findById(tokenOrgId).filter(o -> user.getOrgId().equals(o.getSsoParentId())).map(o -> user);
    }

    /** The person's memberships, their own org first. */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<Membership> of(User user) {
        List<Membership> out = new ArrayList<>();
        if (user.isHomeMember()) {
            out.add(home(user));
        }
        List<Object[]> rows = em.createNativeQuery("select m.org_id, o.code, o.name, cast(m.roles as text), m.last_used_at, "
                + "cast(m.group_roles as text) from memberships m "
                + "join orgs o on o.id = m.org_id where m.user_id = ?1 and o.sso_parent_id = ?2 order by o.code")
                // Flushed first only for pending changes to what it reads (a sign-in's changed user waits for the commit).
                .unwrap(NativeQuery.class).addSynchronizedQuerySpace("memberships").addSynchronizedQuerySpace("orgs")
                .setParameter(1, user.getId()).setParameter(2, user.getOrgId()).getResultList();
        for (Object[] r : rows) {
            // The roles given by hand, then those the person's groups give there.
            java.util.LinkedHashSet<String> roles = new java.util.LinkedHashSet<>(roles((String) r[3]));
            roles.addAll(roles((String) r[5]));
            out.add(new Membership((UUID) r[0], (String) r[1], (String) r[2], List.copyOf(roles), (Instant) r[4], false));
        }
        return out;
    }

    private Membership home(User user) {
        OrgService.Label home = orgs.labelOf(user.getOrgId()).orElseThrow();
        return new Membership(user.getOrgId(), home.code(), home.name(), user.effectiveRoles(), user.getHomeLastUsedAt(), true);
    }

    /** The person's membership in this account, if they have one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Membership> in(User user, UUID orgId) {
        if (orgId.equals(user.getOrgId())) {
            // The person's own org: a membership exactly when they are a home member (no other account to read).
            return user.isHomeMember() ? Optional.of(home(user)) : Optional.empty();
        }
        return of(user).stream().filter(m -> m.orgId().equals(orgId)).findFirst();
    }

    /** The account a sign-in lands in: the one used last, else the only (or first) one; empty when there is none. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Membership> lastUsed(User user) {
        List<Membership> all = of(user);
        return all.stream().filter(m -> m.lastUsedAt() != null).max(Comparator.comparing(Membership::lastUsedAt))
                .or(() -> all.stream().findFirst());
    }

    /**
     * Gives the person a membership in an account of their configuration (or changes its roles). A new
     * membership grants what no token of theirs holds yet; a change of roles ends their older tokens.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void put(User user, UUID orgId, List<String> roles) {
        Optional<Membership> existing = in(user, orgId);
        if (orgId.equals(user.getOrgId())) {
            user.setHomeMember(true);
            user.setRoles(roles);
        } else {
            em.createNativeQuery("insert into memberships (user_id, org_id, roles, created_at) values (?1, ?2, cast(?3 as jsonb), ?4) "
                            + "on conflict (user_id, org_id) do update set roles = excluded.roles")
                    .setParameter(1, user.getId()).setParameter(2, orgId).setParameter(3, write(roles)).setParameter(4, clock.instant())
                    .executeUpdate();
        }
        if (existing.isPresent() && !existing.get().roles().equals(roles)) {
            changes.fire(new AccessChanges.UserChanged(user.getOrgId(), user.getId()));
        }
    }

    /**
     * The roles the person's groups give them in an account of their configuration (group → role mappings
     * that name it): a membership is made for them, or its group roles replaced; one with no role left ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void setGroupRoles(User user, UUID orgId, List<String> groupRoles) {
        Optional<Membership> before = in(user, orgId);
        if (groupRoles.isEmpty()) {
            em.createNativeQuery("update memberships set group_roles = '[]' where user_id = ?1 and org_id = ?2")
                    .setParameter(1, user.getId()).setParameter(2, orgId).executeUpdate();
            em.createNativeQuery("delete from memberships where user_id = ?1 and org_id = ?2 and roles = '[]' and group_roles = '[]'")
                    .setParameter(1, user.getId()).setParameter(2, orgId).executeUpdate();
        } else {
            em.createNativeQuery("insert into memberships (user_id, org_id, roles, group_roles, created_at) values (?1, ?2, '[]', cast(?3 as jsonb), ?4) "
                            + "on conflict (user_id, org_id) do update set group_roles = excluded.group_roles")
                    .setParameter(1, user.getId()).setParameter(2, orgId).setParameter(3, write(groupRoles)).setParameter(4, clock.instant())
                    .executeUpdate();
        }
        Optional<Membership> after = in(user, orgId);
        if (before.isPresent() && !before.map(Membership::roles).equals(after.map(Membership::roles))) {
            changes.fire(new AccessChanges.UserChanged(user.getOrgId(), user.getId()));
        }
    }

    /** Ends the person's membership in an account; true when they had one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean remove(User user, UUID orgId) {
        boolean had;
        if (orgId.equals(user.getOrgId())) {
            had = user.isHomeMember();
            user.setHomeMember(false);
        } else {
            had = em.createNativeQuery("delete from memberships where user_id = ?1 and org_id = ?2")
                    .setParameter(1, user.getId()).setParameter(2, orgId).executeUpdate() > 0;
        }
        if (had) {
            changes.fire(new AccessChanges.UserChanged(user.getOrgId(), user.getId()));
        }
        return had;
    }

    /** Notes that the person now works in this account (where their next sign-in lands). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void used(User user, UUID orgId) {
        Instant now = clock.instant();
        if (orgId.equals(user.getOrgId())) {
            user.setHomeLastUsedAt(now);
        } else {
            em.createNativeQuery("update memberships set last_used_at = ?3 where user_id = ?1 and org_id = ?2")
                    .setParameter(1, user.getId()).setParameter(2, orgId).setParameter(3, now).executeUpdate();
        }
    }

    /** The people of other orgs with a membership in this account: (user id, roles). */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<Object[]> membersOf(UUID orgId) {
        return em.createNativeQuery("select user_id, cast(roles as text), created_at, last_used_at from memberships where org_id = ?1 order by created_at")
                .setParameter(1, orgId).getResultList();
    }

    List<String> roles(String text) {
        try {
            return List.of(json.readValue(text, String[].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String write(List<String> roles) {
        try {
            return json.writeValueAsString(roles);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
