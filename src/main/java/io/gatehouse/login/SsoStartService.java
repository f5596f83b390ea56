package io.gatehouse.login;

import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.PublicUrls;
import io.gatehouse.platform.SignInLookups;
import io.gatehouse.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.UriBuilder;

import java.net.URI;
import java.util.Optional;
import java.util.UUID;

/**
 * Identifier-first start: {@code login} is an existing username, else a company code, else an email
 * whose domain an org owns; then the org's sign-in connection. Every miss gets the same answer.
 */
@ApplicationScoped
public class SsoStartService {

    private final UserService users;
    private final OrgService orgs;
    private final ConnectionService connections;
    private final DeliveryPolicy delivery;
    private final PublicUrls urls;
    private final LoginAttemptService attempts;
    private final java.time.Clock clock;
    private final SignInLookups lookups;

    public SsoStartService(UserService users, OrgService orgs, ConnectionService connections, DeliveryPolicy delivery,
                           PublicUrls urls, LoginAttemptService attempts, java.time.Clock clock, SignInLookups lookups) {
        this.lookups = lookups;
        this.attempts = attempts;
        this.clock = clock;
        this.users = users;
        this.orgs = orgs;
        this.connections = connections;
        this.delivery = delivery;
        this.urls = urls;
    }

    /** Where to send the browser, or empty when nothing matched (or the org has no usable connection). */
    public Optional<URI> start(String login, Delivery to, String codeChallengeMethod, AttemptRecord.ClientInfo client) {
        if (to instanceof Delivery.Client app) {
            if (!"S256".equals(codeChallengeMethod)) {
                throw ApiException.invalidField("code_challenge_method", "must be S256");
            }
            delivery.checkClient(app);
        }
        if (login == null || login.isBlank() || login.length() > 254) {
            return Optional.empty();
        }
        String identifier = login.strip();
        Optional<Route> found = lookups.get(SignInLookups.loginKey(identifier),
                () -> QuarkusTransaction.requiringNew().call(() -> route(identifier)));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Route route = found.get();
        if (route.clientSecretExpiresAt() != null && !route.clientSecretExpiresAt().isAfter(clock.instant())) {
            UUID attempt = attempts.record(new AttemptRecord(route.oidc() ? "oidc" : "saml", route.configurationId(), route.connectionId(), null,
                    LoginFailure.CLIENT_SECRET_EXPIRED, identifier,
                    java.util.Map.of("client_secret_expired_at", route.clientSecretExpiresAt().toString()), client));
            throw new LoginRefusedException(LoginFailure.CLIENT_SECRET_EXPIRED, attempt);
        }
        return target(route, to);
    }

    /**
     * Where a login leads: the org's SSO configuration (its parent's for an account, which is then named as
     * the account to land in) and its sign-in connection. Held by {@link SignInLookups}, so it names no secret.
     */
    record Route(UUID configurationId, String configurationCode, String account, UUID connectionId, boolean oidc,
                 boolean usable, java.time.Instant clientSecretExpiresAt) {
    }

    private Optional<Route> route(String identifier) {
        return findOrg(identifier).flatMap(org -> {
            Org configuration = org.getSsoParentId() == null ? org : orgs.findById(org.getSsoParentId()).orElseThrow();
            // A SAML connection without IdP metadata cannot sign anyone in yet.
            return connections.signInConnection(configuration.getId()).map(c -> new Route(configuration.getId(), configuration.getCode(),
                    org == configuration ? null : org.getCode(), c.id(), c.type().isOidc(), c.type().isOidc() || c.idp() != null,
                    c.clientSecretExpiresAt()));
        });
    }

    private Optional<Org> findOrg(String identifier) {
        return users.findByUsername(identifier).flatMap(u -> orgs.findById(u.getOrgId()))
                .or(() -> orgs.find(identifier.toLowerCase(java.util.Locale.ROOT)))
                .or(() -> identifier.contains("@") ? orgs.findByEmailDomain(identifier) : Optional.empty());
    }

    private Optional<URI> target(Route route, Delivery to) {
        if (!route.usable()) {
            return Optional.empty();
        }
        UriBuilder target = UriBuilder.fromUri(urls.of(io.gatehouse.org.SsoUrls.signInPath(route.configurationCode(), route.oidc()))).queryParam("connection", route.connectionId());
        switch (to) {
            case Delivery.Browser browser -> {
                if (browser.returnTo() != null) {
                    target.queryParam("return_to", browser.returnTo());
                }
                if (browser.account() != null) {
                    target.queryParam("account", browser.account());
                }
            }
            case Delivery.Client client -> {
                target.queryParam("client_id", client.clientId()).queryParam("redirect_uri", client.redirectUri())
                        .queryParam("code_challenge", client.codeChallenge());
                if (client.state() != null) {
                    target.queryParam("state", client.state());
                }
            }
            case Delivery.Test test -> target.queryParam("test", test.testId());
        }
        if (route.account() != null) {
            target.queryParam("account", route.account());
        }
        return Optional.of(target.build());
    }
}
