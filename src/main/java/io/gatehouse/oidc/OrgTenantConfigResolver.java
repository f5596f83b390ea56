package io.gatehouse.oidc;

import io.gatehouse.egress.Egress;

import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.OidcConnection;
import io.gatehouse.org.OrgService;
import io.gatehouse.platform.SecretCipher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.TenantConfigBean;
import io.quarkus.oidc.runtime.TenantConfigContext;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Each org's OIDC tenant, from its connection: on {@code /v1/oidc/{org}/login} from the org (and the
 * {@code connection} it was started with), on the shared {@code /v1/callback} from the tenant id that
 * quarkus-oidc read back from the flow's own state cookie. Anything else, or an unknown org: no tenant
 * (never a fallback). Database work runs off the event loop.
 */
@ApplicationScoped
public class OrgTenantConfigResolver implements TenantConfigResolver {

    /** Set by quarkus-oidc on the callback, from the state cookie of the flow. */
    private static final String TENANT_ID_ATTRIBUTE = "tenant-id";
    private static final Pattern LOGIN = Pattern.compile("^/v1/oidc/([a-z0-9-]{2,32})/login$");
    static final String ERROR_PATH = "/v1/oidc/error";
    /** Read by quarkus-oidc: the returned config replaces the tenant's context instead of updating it in place. */
    private static final String REPLACE_TENANT = "replace-tenant-configuration-context";
    /** Longer than a sign-in's calls to its IdP can take (each times out well within it). */
    static final java.time.Duration REPLACED_TENANT_GRACE = java.time.Duration.ofSeconds(30);
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(OrgTenantConfigResolver.class);

    private final com.github.benmanes.caffeine.cache.Cache<UUID, Built> built =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000).build();

    private final ConnectionService connections;
    private final OrgService orgs;
    private final SecretCipher cipher;
    private final IdpDiscovery discovery;
    private final Egress egress;
    private final io.gatehouse.login.TestSignIns tests;

    private final TenantConfigBean tenants;
    private final io.vertx.core.Vertx vertx;

    public OrgTenantConfigResolver(ConnectionService connections, OrgService orgs, SecretCipher cipher, IdpDiscovery discovery,
                                   Egress egress, io.gatehouse.login.TestSignIns tests, TenantConfigBean tenants, io.vertx.core.Vertx vertx) {
        this.tenants = tenants;
        this.vertx = vertx;
        this.tests = tests;
        this.egress = egress;
        this.discovery = discovery;
        this.connections = connections;
        this.orgs = orgs;
        this.cipher = cipher;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
        String path = context.normalizedPath();
        if (path.equals("/v1/callback")) {
            String tenantId = context.get(TENANT_ID_ATTRIBUTE);
            UUID connectionId = OidcTenantConfigs.connectionId(tenantId);
            UUID orgId = OidcTenantConfigs.orgId(tenantId);
            if (connectionId == null || orgId == null) {
                return Uni.createFrom().nullItem();
            }
            // RFC 9207: the response must come from the IdP this flow was started with, before its code is used.
            String iss = context.request().getParam("iss");
            // A connection that is off answers only while a test sign-in through it waits (setup).
            java.util.concurrent.atomic.AtomicReference<String> version = new java.util.concurrent.atomic.AtomicReference<>();
            return requestContext.runBlocking(() -> connections.oidcConnection(orgId, connectionId, tests.anyWaiting(orgId, connectionId))
                            .map(c -> build(c, context)).map(built -> {
                                version.set(built.version());
                                return built.config();
                            }).orElse(null))
                    .chain(config -> config == null ? Uni.createFrom().<OidcTenantConfig>nullItem()
                            : discovery.of(version.get(), config.authServerUrl().orElseThrow()).map(idp -> {
                                String problem = IssuerIdentification.problem(iss, idp.issuer(), idp.issParameterSupported());
                                if (problem != null) {
                                    throw new IssuerIdentification.MixUp(problem, idp.issuer(), iss);
                                }
                                return config;
                            }));
        }
        Matcher login = LOGIN.matcher(path);
        if (!login.matches()) {
            return Uni.createFrom().nullItem();
        }
        String orgCode = login.group(1);
        String requested = context.request().getParam("connection");
        String test = context.request().getParam("test");
        return requestContext.runBlocking(() -> forLogin(orgCode, requested, test)
                .map(c -> build(c, context).config()).orElse(null));
    }

    /** A connection's tenant config, and the version it was built from. */
    record Built(String version, OidcTenantConfig config) {
    }

    /**
     * The tenant config of the connection as it is now: the same object while the connection is unchanged
     * (quarkus-oidc then reuses its tenant as it is), else a new one that <em>replaces</em> the connection's
     * tenant (a fresh discovery and client). quarkus-oidc keeps every tenant it is given for the life of
     * the process, so a tenant per version would grow with every edit; one per connection does not.
     */
    private Built build(OidcConnection connection, RoutingContext context) {
        String version = OidcTenantConfigs.version(connection);
        boolean[] rebuilt = {false};
        // Atomic per connection: of two first requests after an edit, one builds and replaces, the other reuses.
        Built current = built.asMap().compute(connection.id(), (id, held) -> {
            if (held != null && held.version().equals(version)) {
                return held;
            }
            rebuilt[0] = true;
            return new Built(version, OidcTenantConfigs.build(connection, ERROR_PATH, cipher.derive("oidc-cookies:" + connection.id()),
                    new OidcTenantConfigs.Proxy(egress.proxyHost(), egress.proxyPort())));
        });
        if (rebuilt[0]) {
            context.put(REPLACE_TENANT, "true");
            // quarkus-oidc drops the context it replaces without closing it: its HTTP client (and its pooled
            // connections to the IdP) would stay open for good. Closed here once a sign-in it serves has had time to end.
            TenantConfigContext replaced = tenants.getDynamicTenant(OidcTenantConfigs.tenantId(connection));
            if (replaced != null && replaced.provider() != null) {
                vertx.setTimer(REPLACED_TENANT_GRACE.toMillis(), timer -> close(replaced));
            }
        }
        return current;
    }

    private static void close(TenantConfigContext replaced) {
        try {
            replaced.provider().close();
        } catch (RuntimeException e) {
            LOG.debugf("Closing a replaced OIDC tenant failed: %s", e.toString());
        }
    }

    /**
     * The org's requested (or sign-in) connection, only when it belongs to that org and is OIDC, and is on
     * (or is the one a waiting test sign-in of that org names).
     */
    Optional<OidcConnection> forLogin(String orgCode, String requestedConnection, String test) {
        return QuarkusTransaction.requiringNew().call(() -> orgs.find(orgCode).flatMap(org -> {
            Optional<UUID> connectionId;
            if (requestedConnection != null) {
                try {
                    connectionId = Optional.of(UUID.fromString(requestedConnection));
                } catch (IllegalArgumentException e) {
                    connectionId = Optional.empty();
                }
            } else {
                connectionId = connections.signInConnection(org.getId()).map(c -> c.id());
            }
            UUID testId = uuid(test);
            return connectionId.flatMap(id -> connections.oidcConnection(org.getId(), id, testId != null
                    && tests.connectionOf(testId, org.getId()).filter(id::equals).isPresent()));
        }));
    }

    private static UUID uuid(String value) {
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
