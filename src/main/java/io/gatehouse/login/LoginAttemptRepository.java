package io.gatehouse.login;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The login attempt log, always read within one org. */
@ApplicationScoped
public class LoginAttemptRepository implements PanacheRepositoryBase<LoginAttempt, Long>, io.gatehouse.platform.Purgeable {

    /** Newest first; {@code beforeSeq} (the last row of an earlier page) continues it. */
    public List<LoginAttempt> listPage(UUID orgId, Long beforeSeq, int limit) {
        return (beforeSeq == null
                ? find("orgId = ?1", Sort.by("seq").descending(), orgId)
                : find("orgId = ?1 and seq < ?2", Sort.by("seq").descending(), orgId, beforeSeq))
                .page(0, limit).list();
    }

    /**
     * When this username's password lockout ends, if it is locked at {@code now}: it is when the
     * {@code maxFailures}-th most recent failure (wrong password or unknown user, since the last success)
     * leaves the window. Refusals during a lockout are not failures, so they do not prolong it; failures
     * before an admin ended a lockout ({@code users.password_unlocked_at}) do not count.
     */
    public Optional<Instant> passwordLockoutEnd(String username, Instant now, int maxFailures, Duration window) {
        List<?> rows = getEntityManager().createNativeQuery("""
                select f.created_at from login_attempts f
                 where f.protocol = 'password' and f.outcome = 'failure' and f.reason in ('wrong_password', 'unknown_user')
                   and lower(f.login_hint) = lower(?1) and f.created_at > ?2
                   and f.created_at > coalesce((select u.password_unlocked_at from users u
                                                 where lower(u.username) = lower(?1)), '-infinity')
                   and not exists (select 1 from login_attempts s
                                    where s.protocol = 'password' and s.outcome = 'success'
                                      and lower(s.login_hint) = lower(?1) and s.created_at > f.created_at)
                 order by f.created_at desc offset ?3 limit 1""")
                .setParameter(1, username)
                .setParameter(2, now.minus(window))
                .setParameter(3, maxFailures - 1)
                .getResultList();
        return rows.stream().findFirst().map(at -> Instant.from((TemporalAccessor) at).plus(window));
    }

    /** Attempts older than their retention (the lockout window is far shorter: it never needs them). */
    @Override
    public java.util.Map<String, Integer> purge(java.time.Instant now, io.gatehouse.platform.GatehouseConfig.Retention retention, int limit) {
        return java.util.Map.of("login_attempts", getEntityManager().createNativeQuery("delete from login_attempts where seq in "
                        + "(select seq from login_attempts where created_at < ?1 order by seq limit ?2)")
                .setParameter(1, now.minus(retention.loginAttempts())).setParameter(2, limit).executeUpdate());
    }
}
