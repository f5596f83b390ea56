package io.gatehouse.login;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** The login attempt log, always read within one org. */
@ApplicationScoped
public class LoginAttemptRepository implements PanacheRepositoryBase<LoginAttempt, Long> {

    /** Newest first; {@code beforeSeq} (the last row of an earlier page) continues it. */
    public List<LoginAttempt> listPage(UUID orgId, Long beforeSeq, int limit) {
        return (beforeSeq == null
                ? find("orgId = ?1", Sort.by("seq").descending(), orgId)
                : find("orgId = ?1 and seq < ?2", Sort.by("seq").descending(), orgId, beforeSeq))
                .page(0, limit).list();
    }
}
