package io.gatehouse.login;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Writes and reads the login attempt log. */
@ApplicationScoped
public class LoginAttemptService {

    private static final Logger LOG = Logger.getLogger(LoginAttemptService.class);
    private static final int MAX_TEXT = 256;

    private final LoginAttemptRepository attempts;
    private final OrgService orgs;
    private final Clock clock;
    private final GatehouseConfig.PasswordLogin passwordLogin;

    public LoginAttemptService(LoginAttemptRepository attempts, OrgService orgs, Clock clock, GatehouseConfig config) {
        this.attempts = attempts;
        this.orgs = orgs;
        this.clock = clock;
        this.passwordLogin = config.passwordLogin();
    }

    /** When the password lockout of this username ends, if it is locked now ({@code gatehouse.password-login.*}). */
    @Transactional
    public Optional<Instant> passwordLockoutEnd(String username) {
        return attempts.passwordLockoutEnd(username, clock.instant(), passwordLogin.maxFailures(), passwordLogin.lockoutWindow());
    }

    /**
     * Records an attempt in its own transaction, so a refused sign-in (whose work is rolled back) is
     * still logged. Returns the attempt id that joins the generic public message to this row.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public UUID record(AttemptRecord record) {
        LoginAttempt attempt = new LoginAttempt(UUID.randomUUID(), record.protocol(), clock.instant());
        attempt.setOrgId(record.orgId());
        attempt.setConnectionId(record.connectionId());
        attempt.setUserId(record.userId());
        attempt.setOutcome(record.reason() == null ? "success" : "failure");
        attempt.setReason(record.reason() == null ? null : record.reason().code());
        attempt.setLoginHint(truncate(record.loginHint()));
        attempt.setDetail(record.detail() == null ? java.util.Map.of() : record.detail());
        if (record.client() != null) {
            attempt.setIp(truncate(record.client().ip()));
            attempt.setUserAgent(truncate(record.client().userAgent()));
        }
        attempts.persist(attempt);
        LOG.infof("login outcome=%s protocol=%s org=%s connection=%s attempt=%s reason=%s",
                attempt.getOutcome(), attempt.getProtocol(), attempt.getOrgId(), attempt.getConnectionId(),
                attempt.getId(), attempt.getReason());
        return attempt.getId();
    }

    @Transactional
    public Page<AttemptView> list(String orgRef, String after, Integer limit) {
        Org org = orgs.administered(orgRef);
        int size = Page.limit(limit);
        Long beforeSeq = null;
        if (after != null) {
            try {
                beforeSeq = Long.parseLong(after);
            } catch (NumberFormatException e) {
                throw ApiException.invalidField("after", "must be a next_cursor value from an earlier page");
            }
        }
        List<LoginAttempt> page = attempts.listPage(org.getId(), beforeSeq, size + 1);
        String next = page.size() > size ? String.valueOf(page.get(size - 1).getSeq()) : null;
        return new Page<>(page.stream().limit(size).map(AttemptView::of).toList(), next);
    }

    private static String truncate(String value) {
        return value == null || value.length() <= MAX_TEXT ? value : value.substring(0, MAX_TEXT);
    }
}
