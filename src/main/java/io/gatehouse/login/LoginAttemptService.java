package io.gatehouse.login;

import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.AfterCommit;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.Page;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Map;
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

    private final TransactionSynchronizationRegistry transactions;

    public LoginAttemptService(LoginAttemptRepository attempts, OrgService orgs, Clock clock, GatehouseConfig config,
                               TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
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
        return persist(record, "login");
    }

    /** A test sign-in from setup, as a row of the attempt log ({@code kind: test}); it signed nobody in. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public UUID recordTest(AttemptRecord record) {
        return persist(record, "test");
    }

    /**
     * Records a successful sign-in's attempt in the sign-in's own transaction (one commit for both); its log
     * line is written once that transaction has committed, so it never reports a sign-in that was rolled back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID recordWithSignIn(AttemptRecord record) {
        LoginAttempt attempt = attempt(record, "login");
        AfterCommit.run(transactions, () -> log(attempt));
        return attempt.getId();
    }

    private UUID persist(AttemptRecord record, String kind) {
        LoginAttempt attempt = attempt(record, kind);
        log(attempt);
        return attempt.getId();
    }

    private LoginAttempt attempt(AttemptRecord record, String kind) {
        LoginAttempt attempt = new LoginAttempt(UUID.randomUUID(), record.protocol(), clock.instant());
        attempt.setKind(kind);
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
        return attempt;
    }

    private static void log(LoginAttempt attempt) {
        LOG.infof("%s outcome=%s protocol=%s org=%s connection=%s attempt=%s reason=%s", attempt.getKind(),
                attempt.getOutcome(), attempt.getProtocol(), attempt.getOrgId(), attempt.getConnectionId(),
                attempt.getId(), attempt.getReason());
    }

    /**
     * One logout, from whichever side, as a row of the attempt log: {@code direction} says who started it
     * ({@code rp} Gatehouse, {@code idp-backchannel}, {@code idp-frontchannel}, {@code idp-slo}, {@code revoke}),
     * {@code sessionsEnded} how many sessions it ended; {@code refusal} why it was refused, or null.
     */
    @Transactional
    public UUID recordLogout(String protocol, UUID orgId, UUID connectionId, UUID userId, String direction, int sessionsEnded,
                             String refusal, Map<String, String> detail, AttemptRecord.ClientInfo client) {
        LoginAttempt attempt = new LoginAttempt(UUID.randomUUID(), protocol, clock.instant());
        attempt.setKind("logout");
        attempt.setOrgId(orgId);
        attempt.setConnectionId(connectionId);
        attempt.setUserId(userId);
        attempt.setOutcome(refusal == null ? "success" : "failure");
        attempt.setReason(refusal);
        Map<String, String> all = new java.util.LinkedHashMap<>(detail == null ? Map.of() : detail);
        all.put("direction", direction);
        all.put("sessions_ended", String.valueOf(sessionsEnded));
        attempt.setDetail(all);
        if (client != null) {
            attempt.setIp(truncate(client.ip()));
            attempt.setUserAgent(truncate(client.userAgent()));
        }
        attempts.persist(attempt);
        LOG.infof("logout outcome=%s protocol=%s direction=%s org=%s connection=%s attempt=%s sessions=%d reason=%s",
                attempt.getOutcome(), protocol, direction, orgId, connectionId, attempt.getId(), sessionsEnded, refusal);
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
