package io.gatehouse.org;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Connections, always looked up within their org. */
@ApplicationScoped
public class ConnectionRepository implements PanacheRepositoryBase<Connection, UUID> {

    /** By id, then held to the org: a load by id (no query to build, and none at all when already loaded). */
    public Optional<Connection> findByOrgAndId(UUID orgId, UUID id) {
        return findByIdOptional(id).filter(connection -> connection.getOrgId().equals(orgId));
    }

    public List<Connection> listByOrg(UUID orgId) {
        return list("orgId", Sort.by("createdAt").and("id"), orgId);
    }

    /** The org's default connection, whether or not it is enabled. */
    public Optional<Connection> findDefault(UUID orgId) {
        return find("orgId = ?1 and isDefault = true", orgId).firstResultOptional();
    }

    public long countEnabled(UUID orgId) {
        return count("orgId = ?1 and enabled = true", orgId);
    }
}
