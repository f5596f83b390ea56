package io.gatehouse.directory;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.user.User;
import io.gatehouse.user.UserRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** What /admin/directory shows of an org's directory sync, and its mappings as lines of text. */
@ApplicationScoped
public class DirectoryOverview {

    public record Overview(String scimBaseUrl, Instant syncedAt, List<ScimTokens.TokenView> tokens, List<Person> people,
                           List<Group> groups, String mappings) {
    }

    public record Person(String username, String email, boolean active, String groupRoles) {
    }

    public record Group(String name, long members) {
    }

    private final OrgService orgs;
    private final ScimTokens tokens;
    private final RoleMappings mappings;
    private final UserRepository users;
    private final EntityManager em;

    public DirectoryOverview(OrgService orgs, ScimTokens tokens, RoleMappings mappings, UserRepository users, EntityManager em) {
        this.orgs = orgs;
        this.tokens = tokens;
        this.mappings = mappings;
        this.users = users;
        this.em = em;
    }

    @Transactional
    @SuppressWarnings("unchecked")
    public Overview of(String orgRef) {
        Org org = orgs.administered(orgRef);
        List<Person> people = users.find("orgId = ?1 and provisionedAt is not null order by username", org.getId()).range(0, 199).list()
                .stream().map(u -> new Person(u.getUsername(), u.getEmail(), u.getStatus().equals(User.ACTIVE),
                        String.join(", ", u.getGroupRoles()))).toList();
        List<Object[]> rows = em.createNativeQuery("select g.display_name, count(m.user_id) from directory_groups g left join "
                + "directory_group_members m on m.group_id = g.id where g.org_id = ?1 group by g.id, g.display_name order by g.display_name")
                .setParameter(1, org.getId()).getResultList();
        List<Group> groups = rows.stream().map(r -> new Group((String) r[0], ((Number) r[1]).longValue())).toList();
        String text = mappings.get(orgRef).mappings().stream().map(m -> m.group() + ": " + String.join(", ", m.roles()))
                .collect(Collectors.joining("\n"));
        return new Overview(tokens.baseUrl(org), org.getDirectorySyncedAt(), tokens.list(orgRef), people, groups, text);
    }

    /** Replaces the mappings from lines of {@code group: role, role} (the group may hold spaces, not a colon). */
    public void replaceMappings(String orgRef, String text) {
        List<RoleMappings.Mapping> list = new ArrayList<>();
        String[] lines = text == null ? new String[0] : text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.lastIndexOf(':');
            if (colon <= 0) {
                throw ApiException.invalidField("mappings", "line " + (i + 1) + " must read group: role, role");
            }
            list.add(new RoleMappings.Mapping(line.substring(0, colon).strip(), Arrays.stream(line.substring(colon + 1).split(","))
                    .map(String::strip).filter(r -> !r.isEmpty()).toList()));
        }
        mappings.replace(orgRef, new RoleMappings.Mappings(list));
    }
}
