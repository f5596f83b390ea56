package io.gatehouse.user;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * At start, the existing usernames that break the one-namespace rules (made before the rules held) are
 * reported, each with its org: a username that is an org's code, an email-shaped username at a domain
 * its org has not verified, a {@code <code>+…} username of another org. Nobody is renamed: the operator
 * decides.
 */
@ApplicationScoped
public class NamespaceAudit {

    private static final Logger LOG = Logger.getLogger(NamespaceAudit.class);
    private static final int SHOWN = 100;

    private final EntityManager em;

    public NamespaceAudit(EntityManager em) {
        this.em = em;
    }

    void onStart(@Observes StartupEvent start) {
        List<String> rows = QuarkusTransaction.requiringNew().call(this::violations);
        if (!rows.isEmpty()) {
            LOG.warnf("%d username(s) break the login namespace rules (not renamed; rename or remove them):%n  %s",
                    rows.size(), String.join("\n  ", rows));
        }
    }

    /** One line per offending username: org code, username, user id, and the rule it breaks. */
    @SuppressWarnings("unchecked")
    List<String> violations() {
        List<Object[]> rows = em.createNativeQuery("""
                select o.code, u.username, u.id, case
                    when exists (select 1 from orgs c where c.code = lower(u.username)) then 'is an org''s company code'
                    when position('@' in u.username) > 0 and not exists (select 1 from org_domains d where d.org_id = u.org_id
                        and d.domain = lower(substring(u.username from '@([^@]*)$'))) then 'is email-shaped at a domain its org has not verified'
                    else 'names another org before its +' end
                from users u join orgs o on o.id = u.org_id
                where exists (select 1 from orgs c where c.code = lower(u.username))
                   or (position('@' in u.username) > 0 and not exists (select 1 from org_domains d where d.org_id = u.org_id
                        and d.domain = lower(substring(u.username from '@([^@]*)$'))))
                   or exists (select 1 from orgs c where c.id <> u.org_id and position('+' in u.username) > 1
                        and c.code = lower(split_part(u.username, '+', 1)))
                order by o.code, u.username limit ?1""").setParameter(1, SHOWN).getResultList();
        return rows.stream().map(r -> "org " + r[0] + ": username '" + r[1] + "' (" + r[2] + ") " + r[3]).toList();
    }
}
