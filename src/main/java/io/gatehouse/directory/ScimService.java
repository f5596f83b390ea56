package io.gatehouse.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.unboundid.scim2.common.exceptions.ScimException;
import com.unboundid.scim2.common.filters.Filter;
import com.unboundid.scim2.common.messages.PatchRequest;
import com.unboundid.scim2.common.utils.FilterEvaluator;
import io.gatehouse.org.Org;
import io.gatehouse.user.Provisioning;
import io.gatehouse.user.User;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * SCIM Users and Groups of one org, each operation one transaction: people through {@link Provisioning}
 * (so deprovisioning signs them out at once), groups in {@code directory_groups}, and every membership
 * change followed by the members' group roles ({@link RoleMappings}).
 */
@ApplicationScoped
public class ScimService {

    static final Set<String> USER_FILTERS = Set.of("username", "externalid", "emails", "emails.value", "emails.type",
            "emails.primary", "displayname", "active", "id", "name.givenname", "name.familyname", "name.formatted");
    static final Set<String> GROUP_FILTERS = Set.of("displayname", "externalid", "id", "members", "members.value");
    static final int MAX_COUNT = 200;

    private final Provisioning provisioning;
    private final RoleMappings roles;
    private final ScimTokens tokens;
    private final EntityManager em;
    private final Clock clock;

    public ScimService(Provisioning provisioning, RoleMappings roles, ScimTokens tokens, EntityManager em, Clock clock) {
        this.provisioning = provisioning;
        this.roles = roles;
        this.tokens = tokens;
        this.em = em;
        this.clock = clock;
    }

    // ---- Users ---------------------------------------------------------------------------------

    ObjectNode createUser(Org org, ObjectNode body) {
        return QuarkusTransaction.requiringNew().call(() -> {
            synced(org);
            User user = provisioning.provision(org, person(body));
            roles.recompute(user);
            return userJson(org, user);
        });
    }

    ObjectNode getUser(Org org, UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> userJson(org, user(org, id)));
    }

    ObjectNode replaceUser(Org org, UUID id, ObjectNode body) {
        return QuarkusTransaction.requiringNew().call(() -> {
            synced(org);
            User user = user(org, id);
            provisioning.update(org, user, person(body));
            return userJson(org, user);
        });
    }

    ObjectNode patchUser(Org org, UUID id, PatchRequest patch) {
        return QuarkusTransaction.requiringNew().call(() -> {
            synced(org);
            User user = user(org, id);
            ObjectNode patched = Scim.apply(patch, userJson(org, user));
            provisioning.update(org, user, person(patched));
            return userJson(org, user);
        });
    }

    void deleteUser(Org org, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            synced(org);
            User user = user(org, id);
            em.createNativeQuery("delete from directory_group_members where user_id = ?1").setParameter(1, user.getId()).executeUpdate();
            if (org.isScimDeleteUsers()) {
                provisioning.delete(user);
                return;
            }
            provisioning.remove(user);
            roles.recompute(user);
        });
    }

    /**
     * A page of the org's provisioned people matching the filter. The filters clients send to find one
     * person ({@code userName eq}, {@code externalId eq}, an email {@code eq}) are looked up by index; any
     * other filter is evaluated over the org's people (without their groups); only the page is rendered whole.
     */
    ObjectNode listUsers(Org org, String filterText, int startIndex, int count) {
        Filter filter = filterText == null || filterText.isBlank() ? null : Scim.filter(filterText, USER_FILTERS);
        return QuarkusTransaction.requiringNew().call(() -> {
            List<User> matching = new ArrayList<>();
            for (User user : candidates(org, filter)) {
                if (matches(filter, userJson(org, user, false))) {
                    matching.add(user);
                }
            }
            int start = Math.max(1, startIndex);
            return Scim.list(slice(matching, start, count).stream().map(u -> userJson(org, u)).toList(), matching.size(), start);
        });
    }

    /** The people a filter can match: by index for an equality on userName, externalId or an email; else all. */
    private List<User> candidates(Org org, Filter filter) {
        if (filter != null && filter.getFilterType() == com.unboundid.scim2.common.filters.FilterType.EQUAL
                && filter.getComparisonValue() != null && filter.getComparisonValue().isTextual()) {
            String attribute = filter.getAttributePath().toString().toLowerCase(java.util.Locale.ROOT)
                    .replaceFirst("^urn:ietf:params:scim:schemas:core:2\\.0:user:", "");
            String value = filter.getComparisonValue().asText();
            switch (attribute) {
                case "username" -> {
                    return provisioning.findByUserName(org.getId(), value).stream().toList();
                }
                case "externalid" -> {
                    return provisioning.findByExternalId(org.getId(), value).stream().toList();
                }
                case "emails", "emails.value" -> {
                    return provisioning.findByEmail(org.getId(), value);
                }
                default -> {
                    // evaluated over all below
                }
            }
        }
        if (filter != null && filter.isComplexValueFilter() && filter.getAttributePath().toString().equalsIgnoreCase("emails")) {
            String email = equalityOn(filter.getValueFilter(), "value");
            if (email != null) {
                return provisioning.findByEmail(org.getId(), email);
            }
        }
        return provisioning.list(org.getId());
    }

    /** The value an {@code attribute eq "…"} inside a value filter (alone, or in an {@code and}) compares with. */
    private static String equalityOn(Filter filter, String attribute) {
        if (filter.getFilterType() == com.unboundid.scim2.common.filters.FilterType.EQUAL
                && filter.getAttributePath().toString().equalsIgnoreCase(attribute) && filter.getComparisonValue().isTextual()) {
            return filter.getComparisonValue().asText();
        }
        if (filter.getFilterType() == com.unboundid.scim2.common.filters.FilterType.AND) {
            for (Filter part : filter.getCombinedFilters()) {
                String found = equalityOn(part, attribute);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private User user(Org org, UUID id) {
        return provisioning.find(org.getId(), id)
                .orElseThrow(() -> new Scim.Error(404, null, "No user " + id + " in this organization's directory."));
    }

    /** What a SCIM user body says of the person (the core and enterprise schemas' fields Gatehouse keeps). */
    static Provisioning.Person person(ObjectNode body) {
        JsonNode userName = Scim.field(body, "userName");
        if (userName == null || !userName.isTextual()) {
            throw new Scim.Error(400, "invalidValue", "userName is required.");
        }
        JsonNode active = Scim.bool(Scim.field(body, "active"));
        if (active != null && !active.isNull() && !active.isBoolean()) {
            throw new Scim.Error(400, "invalidValue", "active must be true or false.");
        }
        String displayName = Scim.text(body, "displayName");
        JsonNode name = Scim.field(body, "name");
        if ((displayName == null || displayName.isBlank()) && name != null) {
            String formatted = Scim.text(name, "formatted");
            String given = Scim.text(name, "givenName");
            String family = Scim.text(name, "familyName");
            displayName = formatted != null ? formatted
                    : String.join(" ", java.util.stream.Stream.of(given, family).filter(v -> v != null && !v.isBlank()).toList());
        }
        JsonNode externalId = Scim.field(body, "externalId");
        return new Provisioning.Person(userName.asText(), externalId == null || externalId.isNull() ? null : externalId.asText(),
                email(Scim.field(body, "emails")), displayName == null || displayName.isBlank() ? null : displayName,
                active == null || active.isNull() || active.asBoolean());
    }

    /** The work email: the primary one, else the one typed work, else the first. */
    private static String email(JsonNode emails) {
        if (!(emails instanceof ArrayNode list) || list.isEmpty()) {
            return null;
        }
        JsonNode chosen = null;
        for (JsonNode e : list) {
            if (e.path("primary").asBoolean(false) || "true".equalsIgnoreCase(e.path("primary").asText())) {
                chosen = e;
                break;
            }
        }
        if (chosen == null) {
            for (JsonNode e : list) {
                if ("work".equalsIgnoreCase(e.path("type").asText())) {
                    chosen = e;
                    break;
                }
            }
        }
        chosen = chosen == null ? list.get(0) : chosen;
        String value = chosen.path("value").asText(null);
        return value == null || value.isBlank() ? null : value;
    }

    ObjectNode userJson(Org org, User user) {
        return userJson(org, user, true);
    }

    /** @param withGroups whether the person's groups are read too (a query of their own) */
    ObjectNode userJson(Org org, User user, boolean withGroups) {
        ObjectNode json = Scim.NODES.objectNode();
        json.putArray("schemas").add(Scim.USER_SCHEMA);
        json.put("id", user.getId().toString());
        if (user.getExternalId() != null) {
            json.put("externalId", user.getExternalId());
        }
        json.put("userName", user.getUsername());
        if (user.getDisplayName() != null) {
            json.put("displayName", user.getDisplayName());
            json.putObject("name").put("formatted", user.getDisplayName());
        }
        json.put("active", user.getStatus().equals(User.ACTIVE));
        if (user.getEmail() != null) {
            ObjectNode email = json.putArray("emails").addObject();
            email.put("value", user.getEmail());
            email.put("type", "work");
            email.put("primary", true);
        }
        ArrayNode groups = Scim.NODES.arrayNode();
        for (Object[] g : withGroups ? groupsOf(user.getId()) : List.<Object[]>of()) {
            ObjectNode ref = groups.addObject();
            ref.put("value", g[0].toString());
            ref.put("display", (String) g[1]);
            ref.put("$ref", tokens.baseUrl(org) + "/Groups/" + g[0]);
        }
        if (!groups.isEmpty()) {
            json.set("groups", groups);
        }
        json.set("meta", Scim.meta("User", user.getCreatedAt(), user.getUpdatedAt(), tokens.baseUrl(org) + "/Users/" + user.getId()));
        return json;
    }

    @SuppressWarnings("unchecked")
    private List<Object[]> groupsOf(UUID userId) {
        return em.createNativeQuery("select g.id, g.display_name from directory_groups g join directory_group_members m "
                + "on m.group_id = g.id where m.user_id = ?1 order by g.display_name").setParameter(1, userId).getResultList();
    }

    // ---- Groups --------------------------------------------------------------------------------

    ObjectNode createGroup(Org org, ObjectNode body) {
        return QuarkusTransaction.requiringNew().call(() -> {
            synced(org);
            String name = displayName(body);
            if (groupNamed(org, name) != null) {
                throw new Scim.Error(409, "uniqueness", "A group named " + name + " exists.");
            }
            UUID id = UUID.randomUUID();
            Instant now = clock.instant();
            em.createNativeQuery("insert into directory_groups (id, org_id, display_name, external_id, created_at, updated_at) "
                            + "values (?1, ?2, ?3, ?4, ?5, ?5)").setParameter(1, id).setParameter(2, org.getId()).setParameter(3, name)
                    .setParameter(4, Scim.text(body, "externalId")).setParameter(5, now).executeUpdate();
            setMembers(org, id, members(org, body));
            return groupJson(org, id);
        });
    }

    ObjectNode getGroup(Org org, UUID id, boolean withMembers) {
        return QuarkusTransaction.requiringNew().call(() -> {
            ObjectNode json = groupJson(org, group(org, id));
            if (!withMembers) {
                json.remove("members");
            }
            return json;
        });
    }

    ObjectNode replaceGroup(Org org, UUID id, ObjectNode body) {
        return QuarkusTransaction.requiringNew().call(() -> {
            synced(org);
            UUID group = group(org, id);
            save(org, group, body);
            return groupJson(org, group);
        });
    }

    ObjectNode patchGroup(Org org, UUID id, PatchRequest patch) {
        return QuarkusTransaction.requiringNew().call(() -> {
            synced(org);
            UUID group = group(org, id);
            save(org, group, Scim.apply(patch, groupJson(org, group)));
            return groupJson(org, group);
        });
    }

    void deleteGroup(Org org, UUID id) {
        QuarkusTransaction.requiringNew().run(() -> {
            synced(org);
            UUID group = group(org, id);
            Set<UUID> before = memberIds(group);
            em.createNativeQuery("delete from directory_groups where id = ?1").setParameter(1, group).executeUpdate();
            recompute(org, before);
        });
    }

    ObjectNode listGroups(Org org, String filterText, int startIndex, int count, boolean withMembers) {
        Filter filter = filterText == null || filterText.isBlank() ? null : Scim.filter(filterText, GROUP_FILTERS);
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<UUID> ids = em.createNativeQuery("select id from directory_groups where org_id = ?1 order by created_at, id")
                    .setParameter(1, org.getId()).getResultList();
            List<ObjectNode> matching = new ArrayList<>();
            for (UUID id : ids) {
                ObjectNode json = groupJson(org, id);
                if (matches(filter, json)) {
                    if (!withMembers) {
                        json.remove("members");
                    }
                    matching.add(json);
                }
            }
            return page(matching, startIndex, count);
        });
    }

    private void save(Org org, UUID group, ObjectNode body) {
        String name = displayName(body);
        UUID other = groupNamed(org, name);
        if (other != null && !other.equals(group)) {
            throw new Scim.Error(409, "uniqueness", "A group named " + name + " exists.");
        }
        em.createNativeQuery("update directory_groups set display_name = ?2, external_id = ?3, updated_at = ?4 where id = ?1")
                .setParameter(1, group).setParameter(2, name).setParameter(3, Scim.text(body, "externalId"))
                .setParameter(4, clock.instant()).executeUpdate();
        setMembers(org, group, members(org, body));
    }

    /** Makes the group's members exactly these, and recomputes the roles of everyone who joined, left or stayed. */
    private void setMembers(Org org, UUID group, Set<UUID> members) {
        Set<UUID> affected = new HashSet<>(memberIds(group));
        em.createNativeQuery("delete from directory_group_members where group_id = ?1").setParameter(1, group).executeUpdate();
        for (UUID member : members) {
            em.createNativeQuery("insert into directory_group_members (group_id, user_id) values (?1, ?2)")
                    .setParameter(1, group).setParameter(2, member).executeUpdate();
        }
        affected.addAll(members);
        recompute(org, affected);
    }

    private void recompute(Org org, Set<UUID> users) {
        em.flush();
        for (UUID id : users) {
            provisioning.find(org.getId(), id).ifPresent(roles::recompute);
        }
    }

    private static String displayName(ObjectNode body) {
        String name = Scim.text(body, "displayName");
        if (name == null || name.isBlank() || name.length() > 256 || name.chars().anyMatch(Character::isISOControl)) {
            throw new Scim.Error(400, "invalidValue", "displayName is required (1 to 256 characters).");
        }
        return name.strip();
    }

    /** The members a group body names: each must be a provisioned person of the org. */
    private Set<UUID> members(Org org, ObjectNode body) {
        Set<UUID> ids = new LinkedHashSet<>();
        JsonNode members = Scim.field(body, "members");
        if (members == null || members.isNull()) {
            return ids;
        }
        if (!(members instanceof ArrayNode list)) {
            throw new Scim.Error(400, "invalidValue", "members must be a list.");
        }
        for (JsonNode member : list) {
            String value = member.path("value").asText("");
            UUID id;
            try {
                id = UUID.fromString(value);
            } catch (IllegalArgumentException e) {
                throw new Scim.Error(400, "invalidValue", "members: " + value + " is not a user of this directory.");
            }
            if (provisioning.find(org.getId(), id).isEmpty()) {
                throw new Scim.Error(400, "invalidValue", "members: " + value + " is not a user of this directory.");
            }
            ids.add(id);
        }
        return ids;
    }

    private UUID group(Org org, UUID id) {
        List<?> found = em.createNativeQuery("select id from directory_groups where id = ?1 and org_id = ?2")
                .setParameter(1, id).setParameter(2, org.getId()).getResultList();
        if (found.isEmpty()) {
            throw new Scim.Error(404, null, "No group " + id + " in this organization's directory.");
        }
        return id;
    }

    private UUID groupNamed(Org org, String name) {
        List<?> found = em.createNativeQuery("select id from directory_groups where org_id = ?1 and lower(display_name) = lower(?2)")
                .setParameter(1, org.getId()).setParameter(2, name).getResultList();
        return found.isEmpty() ? null : (UUID) found.getFirst();
    }

    @SuppressWarnings("unchecked")
    private Set<UUID> memberIds(UUID group) {
        return new HashSet<>(em.createNativeQuery("select user_id from directory_group_members where group_id = ?1")
                .setParameter(1, group).getResultList());
    }

    @SuppressWarnings("unchecked")
    ObjectNode groupJson(Org org, UUID id) {
        Object[] row = (Object[]) em.createNativeQuery("select display_name, external_id, created_at, updated_at from directory_groups where id = ?1")
                .setParameter(1, id).getSingleResult();
        ObjectNode json = Scim.NODES.objectNode();
        json.putArray("schemas").add(Scim.GROUP_SCHEMA);
        json.put("id", id.toString());
        json.put("displayName", (String) row[0]);
        if (row[1] != null) {
            json.put("externalId", (String) row[1]);
        }
        ArrayNode members = json.putArray("members");
        List<Object[]> rows = em.createNativeQuery("select u.id, u.username from users u join directory_group_members m on m.user_id = u.id "
                + "where m.group_id = ?1 order by u.username").setParameter(1, id).getResultList();
        for (Object[] m : rows) {
            ObjectNode member = members.addObject();
            member.put("value", m[0].toString());
            member.put("display", (String) m[1]);
            member.put("$ref", tokens.baseUrl(org) + "/Users/" + m[0]);
        }
        json.set("meta", Scim.meta("Group", io.gatehouse.platform.SqlValues.instant(row[2]), io.gatehouse.platform.SqlValues.instant(row[3]), tokens.baseUrl(org) + "/Groups/" + id));
        return json;
    }

    /** The org's last sync: when its directory last changed something (shown on /admin/directory). */
    private void synced(Org org) {
        em.createNativeQuery("update orgs set directory_synced_at = ?2 where id = ?1")
                .setParameter(1, org.getId()).setParameter(2, clock.instant()).executeUpdate();
    }

    // ---- Lists ---------------------------------------------------------------------------------

    private static boolean matches(Filter filter, ObjectNode json) {
        if (filter == null) {
            return true;
        }
        try {
            return FilterEvaluator.evaluate(filter, json);
        } catch (ScimException e) {
            throw new Scim.Error(400, "invalidFilter", Scim.firstLine(e.getMessage()));
        }
    }

    private static ObjectNode page(List<ObjectNode> all, int startIndex, int count) {
        int start = Math.max(1, startIndex);
        return Scim.list(slice(all, start, count), all.size(), start);
    }

    /** The page of a list from the 1-based {@code start}, at most {@code count} (and {@value #MAX_COUNT}) long. */
    private static <T> List<T> slice(List<T> all, int start, int count) {
        int size = Math.max(0, Math.min(count, MAX_COUNT));
        return start > all.size() ? List.of() : all.subList(start - 1, Math.min(all.size(), start - 1 + size));
    }
}
