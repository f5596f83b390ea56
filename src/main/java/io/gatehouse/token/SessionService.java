package io.gatehouse.token;

import io.gatehouse.platform.GatehouseConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.gatehouse.platform.AccessChanges;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions and what hangs off them: access tokens, the browser cookie's token, one-time codes,
 * rotating refresh tokens, revocation.
 */
@ApplicationScoped
public class SessionService {

    /** The encryption context of a session's logout hint (kept from when it held only OIDC ID tokens). */
    private static final String HINT_CONTEXT = "session-id-token:";

    private final SessionRepository sessions;
    private final SessionStore store;
    private final Revocations revocations;
    private final TokenIssuer issuer;
    private final TransactionSynchronizationRegistry transactions;
    private final GatehouseConfig config;
    private final Clock clock;
    private final UserVersions versions;
    private final io.gatehouse.platform.SecretCipher cipher;

    public SessionService(SessionRepository sessions, SessionStore store, Revocations revocations, TokenIssuer issuer,
                          TransactionSynchronizationRegistry transactions, GatehouseConfig config, Clock clock,
                          UserVersions versions, io.gatehouse.platform.SecretCipher cipher) {
        this.cipher = cipher;
        this.versions = versions;
        this.transactions = transactions;
        this.sessions = sessions;
        this.store = store;
        this.revocations = revocations;
        this.issuer = issuer;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Starts a session for a signed-in user and returns its first access token.
     *
     * @param claims who signed in; its {@code sessionId} is ignored and replaced by the new session's
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public IssuedToken start(AccessTokenClaims claims) {
        return issuer.issue(start(claims, null, null, config.token().sessionLifetime()).claims());
    }

    /**
     * Starts a session, keeping the IdP connection and session reference for logout.
     *
     * @param lifetime how long the session lasts (browser sessions and each client have their own)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Started start(AccessTokenClaims claims, UUID connectionId, String idpSessionRef, Duration lifetime) {
        return start(claims, connectionId, idpSessionRef, lifetime, claims.orgId(), null);
    }

    /**
     * Starts a session of a person whose own org is {@code homeOrgId}, in the account the claims name (another
     * account of their SSO configuration, or their own org).
     *
     * @param idpLogoutHint what the IdP needs to find its own session at logout (OIDC: the ID token, the
     *                      {@code id_token_hint}; SAML: the NameID and SessionIndex of the LogoutRequest), kept
     *                      encrypted with the session; null: nothing
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Started start(AccessTokenClaims claims, UUID connectionId, String idpSessionRef, Duration lifetime, UUID homeOrgId,
                         String idpLogoutHint) {
        Instant now = clock.instant();
        Session session = new Session(UUID.randomUUID(), claims.userId(), homeOrgId, claims.amr(), now, now.plus(lifetime));
        session.setAccountId(claims.orgId().equals(homeOrgId) ? null : claims.orgId());
        session.setConnectionId(connectionId);
        session.setIdpSessionRef(idpSessionRef);
        if (idpLogoutHint != null) {
            session.setIdpLogoutHint(cipher.encrypt(idpLogoutHint, HINT_CONTEXT + session.getId()));
        }
        sessions.persist(session);
        // No token yet: a browser gets a cookie token living as long as the session, an app a code.
        return new Started(session.getId(), claims.withSession(session.getId()), session.getExpiresAt());
    }

    /** A token for the browser cookie: lives as long as the session, and dies with its revocation. */
    public IssuedToken cookieToken(AccessTokenClaims claims, Instant sessionExpiresAt) {
        return issuer.issue(claims, Duration.between(clock.instant(), sessionExpiresAt));
    }

    public IssuedToken accessToken(AccessTokenClaims claims) {
        return issuer.issue(claims);
    }

    /** A one-time code (valid {@code gatehouse.token.code-lifetime}) that a client trades for tokens. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String issueCode(UUID sessionId, String clientId, String redirectUri, String codeChallenge) {
        String code = Secrets.newToken();
        Instant now = clock.instant();
        store.insertCode(Secrets.hash(code), sessionId, clientId, redirectUri, codeChallenge, now,
                now.plus(config.token().codeLifetime()));
        return code;
    }

    /**
     * Consumes a one-time code. A code presented a second time revokes the session it started
     * (RFC 6749 §4.1.2: it may have been stolen).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<CodeGrant> consumeCode(String code) {
        String hash = Secrets.hash(code);
        Optional<CodeGrant> grant = store.consumeCode(hash, clock.instant());
        if (grant.isEmpty()) {
            store.sessionOfUsedCode(hash).ifPresent(this::revokeInTransaction);
        }
        return grant;
    }

    /** A new refresh token for the session. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String issueRefreshToken(UUID sessionId) {
        String token = Secrets.newToken();
        store.insertRefreshToken(Secrets.hash(token), sessionId, clock.instant());
        return token;
    }

    /**
     * Uses up a refresh token and returns its session when that session is still active. A token used
     * before is reuse: the whole session is revoked.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Session> consumeRefreshToken(String token) {
        String hash = Secrets.hash(token);
        Optional<UUID> sessionId = store.consumeRefreshToken(hash, clock.instant());
        if (sessionId.isEmpty()) {
            store.sessionOfUsedRefreshToken(hash).ifPresent(this::revokeInTransaction);
            return Optional.empty();
        }
        return findActive(sessionId.get());
    }

    /** The session if it exists, is not revoked and has not expired. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Session> findActive(UUID sessionId) {
        Instant now = clock.instant();
        return sessions.findByIdOptional(sessionId).filter(s -> s.isActive(now)).map(s -> {
            s.touch(now);
            return s;
        });
    }

    /** Ends a session now; every replica refuses its tokens within a second. */
    public void revoke(UUID sessionId) {
        QuarkusTransaction.requiringNew().run(() -> revokeInTransaction(sessionId));
    }

    /** Ends every session of an org started through this IdP session reference; returns how many. */
    public int revokeByIdpSession(UUID orgId, UUID connectionId, String idpSessionRef) {
        return QuarkusTransaction.requiringNew().call(() ->
                sessions.listActiveByIdpSession(orgId, connectionId, idpSessionRef, clock.instant()).stream()
                        .map(s -> revokeInTransaction(s.getId())).toList()).size();
    }

    /**
     * Ends the session a refresh token belongs to (RFC 7009 revocation: its refresh and access tokens stop
     * working); returns the session that ended, or empty when the token is unknown or it had ended already.
     */
    public Optional<Session> revokeByRefreshToken(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank() || refreshToken.length() > 512) {
            return Optional.empty();
        }
        return QuarkusTransaction.requiringNew().call(() -> store.sessionOfRefreshToken(Secrets.hash(refreshToken))
                .map(this::revokeInTransaction));
    }

    /**
     * What a session knows of its IdP sign-in: the org, connection and the logout hint kept with it
     * (decrypted): the OIDC ID token, or the SAML NameID and SessionIndex.
     */
    public record IdpSignIn(UUID orgId, UUID connectionId, String logoutHint) {
    }

    /** The IdP sign-in of a session that came through a connection; its logout hint is null when none was kept. */
    public Optional<IdpSignIn> idpSignIn(UUID sessionId) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.ofNullable(sessions.findById(sessionId))
                .filter(s -> s.getConnectionId() != null)
                .map(s -> new IdpSignIn(s.getOrgId(), s.getConnectionId(), Optional.ofNullable(s.getIdpLogoutHint())
                        .map(t -> cipher.decryptToString(t, HINT_CONTEXT + sessionId)).orElse(null))));
    }

    /**
     * Ends the sessions the person started through this connection (an IdP's logout by subject); with
     * IdP session references (SAML SessionIndex), only those sessions. Returns how many ended.
     */
    public int revokeByConnectionUser(UUID orgId, UUID connectionId, UUID userId, java.util.Set<String> idpSessionRefs) {
        return QuarkusTransaction.requiringNew().call(() ->
                sessions.listActiveOfConnection(orgId, connectionId, clock.instant()).stream()
                        .filter(s -> s.getUserId().equals(userId))
                        .filter(s -> idpSessionRefs.isEmpty() || idpSessionRefs.contains(s.getIdpSessionRef()))
                        .map(s -> revokeInTransaction(s.getId()))
                        .filter(java.util.Objects::nonNull).toList()).size();
    }

    private Session revokeInTransaction(UUID sessionId) {
        Session session = sessions.findById(sessionId);
        if (session == null || session.getRevokedAt() != null) {
            return null;
        }
        session.revoke(clock.instant());
        store.notifyRevoked(sessionId);
        // This replica refuses the session's tokens as soon as the revocation commits; the others on the notification.
        Instant expiresAt = session.getExpiresAt();
        afterCommit(() -> revocations.markRevoked(sessionId, expiresAt));
        return session;
    }

    /** The person's sessions that have not ended, newest first. */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.List<Session> activeOf(UUID orgId, UUID userId) {
        return sessions.listActiveOfUser(orgId, userId, clock.instant());
    }

    /** Ends one of the person's sessions; false when they have no such session (or it has ended). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean revokeOwn(UUID orgId, UUID userId, UUID sessionId) {
        return sessions.findByIdOptional(sessionId)
                .filter(s -> s.getOrgId().equals(orgId) && s.getUserId().equals(userId) && s.isActive(clock.instant()))
                .map(s -> revokeInTransaction(s.getId()) != null).orElse(false);
    }

    /**
     * Ends the sessions in an account (a session's account, or its org when it has none): of one person, or
     * of everyone when {@code userId} is null (the account left its configuration). Returns how many.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeInAccount(UUID userId, UUID accountId) {
        return revokeAll(sessions.listActiveInAccount(userId, accountId, clock.instant()));
    }

    /** Moves a session to another account of its person (the token issued next names it). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void switchAccount(UUID sessionId, UUID accountId) {
        Session session = sessions.findById(sessionId);
        session.setAccountId(accountId.equals(session.getOrgId()) ? null : accountId);
    }

    /** Ends every session of the person; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int revokeAllOf(UUID orgId, UUID userId) {
        return revokeAll(sessions.listActiveOfUser(orgId, userId, clock.instant()));
    }

    private int revokeAll(java.util.List<Session> active) {
        active.forEach(s -> revokeInTransaction(s.getId()));
        return active.size();
    }

    // --- Changes that take effect at once, fired in the transaction that makes them ----------------

    void userChanged(@Observes AccessChanges.UserChanged change) {
        Instant now = clock.instant();
        long version = versions.raise(change.userId(), now);
        // This replica refuses the older tokens as soon as the change commits; the others on the notification.
        afterCommit(() -> versions.learn(change.userId(), version, clock.instant()));
    }

    void userDeprovisioned(@Observes AccessChanges.UserDeprovisioned change) {
        revokeAllOf(change.orgId(), change.userId());
    }

    void passwordSet(@Observes AccessChanges.PasswordSet change) {
        revokeAllOf(change.orgId(), change.userId());
    }

    void connectionClosed(@Observes AccessChanges.ConnectionClosed change) {
        revokeAll(sessions.listActiveOfConnection(change.orgId(), change.connectionId(), clock.instant()));
    }

    void ssoEnforced(@Observes AccessChanges.SsoEnforced change) {
        revokeAll(sessions.listActiveByAmr(change.orgId(), "pwd", clock.instant()));
    }

    private void afterCommit(Runnable action) {
        io.gatehouse.platform.AfterCommit.run(transactions, action);
    }

    /** A new session: its id, the claims its tokens carry, and when it ends (no token is issued yet). */
    public record Started(UUID sessionId, AccessTokenClaims claims, Instant expiresAt) {
    }
}
