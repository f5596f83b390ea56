package io.gatehouse.directory;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.Problem;
import io.gatehouse.user.Provisioning;
import io.gatehouse.user.User;
import io.gatehouse.user.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.hibernate.query.NativeQuery;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An org's IdP groups → Gatehouse roles. A person's group roles are recomputed from their groups, the
 * directory's (SCIM groups, by name, id or external id) and those their last SSO sign-in carried (the
 * OIDC {@code groups} claim, Entra's group object ids; the SAML groups attribute), whenever either or the
 * mappings change; a change takes effect at once. Nothing is granted without a mapping ({@code admin}
 * only where an org admin maps it), and the roles given by hand are never touched.
 */
@ApplicationScoped
public class RoleMappings {

    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    /**
     * One mapping: a group (name or id, matched case-insensitively) and the roles it gives; in {@code account}
     * (the code of an account of the org's SSO configuration) when named, else in the org itself.
     */
    public record Mapping(@NotNull(message = "is required") String group, @NotNull(message = "is required") List<String> roles,
                          String account) {
        public Mapping(String group, List<String> roles) {
            this(group, roles, null);
        }
    }

    /** {@code {"mappings": [{"group": "Engineering", "roles": ["developer"]}]}} */
    public record Mappings(@NotNull(message = "is required") @Valid List<Mapping> mappings) {
    }

    private final EntityManager em;
    private final OrgService orgs;
    private final UserRepository users;
    private final Provisioning provisioning;
    private final io.gatehouse.user.Memberships memberships;

    public RoleMappings(EntityManager em, OrgService orgs, UserRepository users, Provisioning provisioning,
                        io.gatehouse.user.Memberships memberships) {
        this.memberships = memberships;
        this.em = em;
        this.orgs = orgs;
        this.users = users;
        this.provisioning = provisioning;
    }

    @Transactional
    public Mappings get(String orgRef) {
        return new Mappings(load(orgs.administered(orgRef).getId()));
    }

    @Transactional
    public Mappings replace(String orgRef, Mappings request) {
        Org org = orgs.administered(orgRef);
        List<Problem.FieldError> errors = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < request.mappings().size(); i++) {
            Mapping m = request.mappings().get(i);
            String group = m.group() == null ? "" : m.group().strip();
            if (group.isEmpty() || group.length() > 256 || group.chars().anyMatch(Character::isISOControl)) {
                errors.add(new Problem.FieldError("mappings[" + i + "].group", "must be a group name or id of 1 to 256 characters"));
            } else if (!seen.add(group.toLowerCase(Locale.ROOT) + "\u0000" + (m.account() == null ? "" : m.account()))) {
                errors.add(new Problem.FieldError("mappings[" + i + "].group", "is mapped twice"));
            }
            if (m.roles() == null || m.roles().isEmpty() || m.roles().size() > 20) {
                errors.add(new Problem.FieldError("mappings[" + i + "].roles", "must list 1 to 20 roles"));
            } else {
                for (int j = 0; j < m.roles().size(); j++) {
                    if (m.roles().get(j) == null || !ROLE.matcher(m.roles().get(j)).matches()) {
                        errors.add(new Problem.FieldError("mappings[" + i + "].roles[" + j + "]", "must be a role name (a-z, 0-9, _ and -)"));
                    }
                }
            }
        }
        java.util.Map<String, UUID> accounts = new java.util.HashMap<>();
        for (int i = 0; i < request.mappings().size(); i++) {
            String account = request.mappings().get(i).account();
            if (account != null && !account.equals(org.getCode())) {
                Optional<Org> found = orgs.find(account).filter(a -> org.getId().equals(a.getSsoParentId()));
                if (found.isEmpty()) {
                    errors.add(new Problem.FieldError("mappings[" + i + "].account", "must be an account of this org's SSO configuration"));
                } else {
                    accounts.put(account, found.get().getId());
                }
            }
        }
        if (request.mappings().size() > 500) {
            errors.add(new Problem.FieldError("mappings", "must list at most 500 mappings"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        em.createNativeQuery("delete from role_mappings where org_id = ?1").setParameter(1, org.getId()).executeUpdate();
        for (Mapping m : request.mappings()) {
            em.createNativeQuery("insert into role_mappings (org_id, group_key, roles, account_id) values (?1, ?2, ?3, ?4)")
                    .setParameter(1, org.getId()).setParameter(2, m.group().strip())
                    .setParameter(3, List.copyOf(new LinkedHashSet<>(m.roles())).toArray(String[]::new))
                    .setParameter(4, m.account() == null ? null : accounts.get(m.account())).executeUpdate();
        }
        List<Mapping> saved = load(org.getId());
        for (User user : users.find("orgId", org.getId()).list()) {
            recompute(user, saved);
        }
        return new Mappings(saved);
    }

    /** Whether the org maps any group to roles (then a sign-in without its groups cannot be given the right ones). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean any(UUID orgId) {
        return !em.createNativeQuery("select 1 from role_mappings where org_id = ?1 limit 1").setParameter(1, orgId)
                .getResultList().isEmpty();
    }

    /** Recomputes the person's group roles from their groups now (in the caller's transaction). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recompute(User user) {
        recompute(user, load(user.getOrgId()));
    }

    private void recompute(User user, List<Mapping> mappings) {
        if (mappings.isEmpty() && user.getGroupRoles().isEmpty()) {
            return;
        }
        Set<String> keys = new java.util.HashSet<>();
        user.getIdpGroups().forEach(g -> keys.add(g.toLowerCase(Locale.ROOT)));
        directoryGroupKeys(user.getId()).forEach(g -> keys.add(g.toLowerCase(Locale.ROOT)));
        provisioning.setGroupRoles(user, rolesFor(mappings.stream().filter(m -> m.account() == null).toList(), keys));
        // Mappings that name an account give a membership there: each account of the configuration in turn.
        java.util.Map<String, List<Mapping>> byAccount = new java.util.TreeMap<>();
        mappings.stream().filter(m -> m.account() != null).forEach(m -> byAccount.computeIfAbsent(m.account(), a -> new ArrayList<>()).add(m));
        for (Org account : orgs.accountsOf(user.getOrgId())) {
            memberships.setGroupRoles(user, account.getId(), rolesFor(byAccount.getOrDefault(account.getCode(), List.of()), keys));
        }
    }

    /** The roles the mappings give to someone in these groups (lower-cased names or ids). Pure. */
    static List<String> rolesFor(List<Mapping> mappings, Collection<String> groups) {
        LinkedHashSet<String> roles = new LinkedHashSet<>();
        for (Mapping m : mappings) {
            if (groups.contains(m.group().toLowerCase(Locale.ROOT))) {
                roles.addAll(m.roles());
            }
        }
        return List.copyOf(roles);
    }

    @SuppressWarnings("unchecked")
    private List<String> directoryGroupKeys(UUID userId) {
        List<Object[]> rows = em.createNativeQuery("select g.id::text, g.display_name, g.external_id from directory_groups g "
                + "join directory_group_members m on m.group_id = g.id where m.user_id = ?1").setParameter(1, userId).getResultList();
        List<String> keys = new ArrayList<>();
        for (Object[] r : rows) {
            for (Object v : r) {
                if (v != null) {
                    keys.add(v.toString());
                }
            }
        }
        return keys;
    }

    @SuppressWarnings("unchecked")
    private List<Mapping> load(UUID orgId) {
        List<Object[]> rows = em.createNativeQuery("select m.group_key, m.roles, a.code from role_mappings m left join orgs a on a.id = m.account_id "
                        + "where m.org_id = ?1 order by m.group_key, a.code nulls first")
                // Flushed first only for pending changes to what it reads (a sign-in's changed user waits for the commit).
                .unwrap(NativeQuery.class).addSynchronizedQuerySpace("role_mappings").addSynchronizedQuerySpace("orgs")
                .setParameter(1, orgId).getResultList();
        return rows.stream().map(r -> new Mapping((String) r[0], List.of((String[]) r[1]), (String) r[2])).toList();
    }
}
