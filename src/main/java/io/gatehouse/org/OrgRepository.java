package io.gatehouse.org;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Orgs. The org is the tenant itself, so its finders take its id or code. */
@ApplicationScoped
public class OrgRepository implements PanacheRepositoryBase<Org, UUID> {

    public Optional<Org> findByCode(String code) {
        return find("code", code).firstResultOptional();
    }

    /** The org that owns this (lower-cased) email domain, if any. */
    public Optional<Org> findByDomain(String domain) {
        return find("select o from Org o join o.domains d where d = ?1", domain).firstResultOptional();
    }

    public List<Org> listPage(String afterCode, int limit) {
        return (afterCode == null ? find("", Sort.by("code")) : find("code > ?1", Sort.by("code"), afterCode))
                .page(0, limit).list();
    }
}
