package io.gatehouse.login;

import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.ConnectionView;
import io.gatehouse.org.Org;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.PublicUrls;
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

    public SsoStartService(UserService users, OrgService orgs, ConnectionService connections, DeliveryPolicy delivery,
                           PublicUrls urls, LoginAttemptService attempts, java.time.Clock clock) {
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
        // An account signs in through its parent's connection, naming itself as the account to land in.
        Optional<Found> found = QuarkusTransaction.requiringNew().call(() -> findOrg(identifier).flatMap(org -> {
            Org configuration = org.getSsoParentId() == null ? org : orgs.findById(org.getSsoParentId()).orElseThrow();
            return connections.signInConnection(configuration.getId()).map(c -> new Found(configuration.getId(), c,
                    target(configuration, c, to).map(uri -> org == configuration ? uri
                            : UriBuilder.fromUri(uri).queryParam("account", org.getCode()).build())));
        }));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ConnectionView connection = found.get().connection();
        if (connection.clientSecretExpiresAt() != null && !connection.clientSecretExpiresAt().isAfter(clock.instant())) {
            UUID attempt = attempts.record(new AttemptRecord(connection.type().isOidc() ? "oidc" : "saml", found.get().orgId(), connection.id(), null,
                    LoginFailure.CLIENT_SECRET_EXPIRED, identifier,
                    java.util.Map.of("client_secret_expired_at", connection.clientSecretExpiresAt().toString()), client));
            throw new LoginRefusedException(LoginFailure.CLIENT_SECRET_EXPIRED, attempt);
        }
        return found.get().target();
    }

    private record Found(UUID orgId, ConnectionView connection, Optional<URI> target) {
    }

    private Optional<Org> findOrg(String identifier) {
        return users.findByUsername(identifier).flatMap(u -> orgs.findById(u.getOrgId()))
                .or(() -> orgs.find(identifier.toLowerCase(java.util.Locale.ROOT)))
                .or(() -> identifier.contains("@") ? orgs.findByEmailDomain(identifier) : Optional.empty());
    }

    private Optional<URI> target(Org org, ConnectionView connection, Delivery to) {
        if (!connection.type().isOidc() && connection.idp() == null) {
            // A SAML connection without IdP metadata cannot sign anyone in yet.
            return Optional.empty();
        }
        String path = connection.type().isOidc() ? "/v1/oidc/" + org.getCode() + "/login" : "/v1/saml/" + org.getCode();
        UriBuilder target = UriBuilder.fromUri(urls.of(path)).queryParam("connection", connection.id());
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
        return Optional.of(target.build());
    }
}
