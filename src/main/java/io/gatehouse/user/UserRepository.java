package io.gatehouse.user;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Users, always looked up within their org, except by username, which alone finds the org. */
@ApplicationScoped
public class UserRepository implements PanacheRepositoryBase<User, UUID> {

    /** By id, then held to the org: a load by id (no query to build, and none at all when already loaded). */
    public Optional<User> findByOrgAndId(UUID orgId, UUID id) {
        return findByIdOptional(id).filter(user -> user.getOrgId().equals(orgId));
    }

    /** The user with this username in any org (usernames are globally unique). */
    public Optional<User> findByUsername(String username) {
        return find("lower(username) = lower(?1)", username).firstResultOptional();
    }

    /** The org's oldest user with this verified email (an unverified one finds nobody). */
    public Optional<User> findByOrgAndEmail(UUID orgId, String email) {
        return find("orgId = ?1 and lower(email) = lower(?2) and emailVerified = true order by createdAt", orgId, email)
                .firstResultOptional();
    }

    public boolean usernameTaken(String username) {
        return count("lower(username) = lower(?1)", username) > 0;
    }

    /** {@code base}, or the first of {@code base-2}, {@code base-3}, … that nobody has. */
    public String firstFree(String base) {
        String username = base;
        for (int n = 2; usernameTaken(username); n++) {
            username = base + "-" + n;
        }
        return username;
    }

    /**
     * A page of the org's users by username, optionally only those whose username, email or name
     * contains {@code query}.
     */
    public List<User> listPage(UUID orgId, String query, String afterUsername, int limit) {
        StringBuilder where = new StringBuilder("orgId = :org");
        Parameters params = Parameters.with("org", orgId);
        if (query != null && !query.isBlank()) {
            where.append(" and (lower(username) like :q or lower(coalesce(email, '')) like :q"
                    + " or lower(coalesce(displayName, '')) like :q)");
            params.and("q", "%" + escapeLike(query.strip().toLowerCase()) + "%");
        }
        if (afterUsername != null) {
            where.append(" and lower(username) > lower(:after)");
            params.and("after", afterUsername);
        }
        return find(where + " order by lower(username)", params).page(0, limit).list();
    }

    public List<User> listPasswordUsers(UUID orgId) {
        return list("orgId = ?1 and authMode = ?2", orgId, User.PASSWORD);
    }

    private static String escapeLike(String value) {
        return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
