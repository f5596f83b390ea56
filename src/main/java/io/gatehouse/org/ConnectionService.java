package io.gatehouse.org;

import io.gatehouse.egress.Egress;

import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.PublicUrls;
import io.gatehouse.platform.Problem.FieldError;
import io.gatehouse.platform.SecretCipher;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Connections of an org: create, read, change, remove; and the org's SSO overview. */
@ApplicationScoped
public class ConnectionService {

    /** How far ahead an expiring client secret is warned about. */
    static final Duration SECRET_WARNING = Duration.ofDays(30);

    private final ConnectionRepository connections;
    private final OrgService orgs;
    private final SecretCipher cipher;
    private final PublicUrls publicUrls;
    private final Clock clock;
    private final ConnectionValidator validator;
    private final SamlMaterial saml;
    private final Egress egress;
    /** Changes that take effect at once (AccessChanges), carried out in the transaction that makes them. */
    private final jakarta.enterprise.event.Event<Object> changes;

    public ConnectionService(ConnectionRepository connections, OrgService orgs, SecretCipher cipher,
                             GatehouseConfig config, PublicUrls publicUrls, Clock clock, SamlMaterial saml,
                             jakarta.enterprise.event.Event<Object> changes, Egress egress) {
        this.changes = changes;
        this.egress = egress;
        this.connections = connections;
        this.orgs = orgs;
        this.cipher = cipher;
        this.publicUrls = publicUrls;
        this.clock = clock;
        this.validator = new ConnectionValidator(config.allowHttpUrls());
        this.saml = saml;
    }

    /**
     * The IdP URLs Gatehouse itself fetches from, checked against the egress policy now (each fetch checks
     * again): a refused one is a 400 naming its field. The metadata URL is checked by its fetch, at once.
     */
    private void egressProblems(ConnectionRequest request, List<FieldError> errors) {
        java.util.Map<String, String> urls = new java.util.LinkedHashMap<>();
        urls.put("issuer", request.settings().issuer());
        urls.put("discovery_url", request.settings().discoveryUrl());
        urls.forEach((field, url) -> {
            if (url != null && errors.stream().noneMatch(e -> e.field().equals(field))) {
                egress.refusal(url).ifPresent(problem -> errors.add(new FieldError(field, problem)));
            }
        });
    }

    /**
     * Creates a connection. A SAML connection gets its own SP key pair, and its IdP metadata when the
     * request gives it (XML) or says where it is (URL, fetched before anything is written).
     */
    public ConnectionView create(String orgRef, ConnectionRequest request) {
        return create(orgRef, request, false);
    }

    /** Creates a connection as a draft (setup): off for everyone until a test sign-in and activation. */
    public ConnectionView createDraft(String orgRef, ConnectionRequest request) {
        return create(orgRef, request, true);
    }

    private ConnectionView create(String orgRef, ConnectionRequest request, boolean draft) {
        ConnectionType type = QuarkusTransaction.requiringNew().call(() -> {
            Org org = orgs.administered(orgRef);
            if (org.getSsoParentId() != null) {
                throw ApiException.conflict("This org is an account of another: its people sign in through that org's connections. "
                        + "Unlink it first to give it connections of its own.");
            }
            List<FieldError> errors = new ArrayList<>();
            ConnectionType t = ConnectionValidator.typeOf(request.type(), errors);
            if (t != null) {
                errors.addAll(validator.validateCreate(t, request, clock.instant()));
                egressProblems(request, errors);
            }
            if (!errors.isEmpty()) {
                throw ApiException.validation(errors);
            }
            return t;
        });
        SamlMaterial.Metadata metadata = type == ConnectionType.SAML ? metadata(request, null) : null;
        SamlMaterial.SpKeyPair spKey = type == ConnectionType.SAML ? saml.newSpKey("Gatehouse SP " + orgRef) : null;
        return QuarkusTransaction.requiringNew().call(() -> insert(orgRef, type, request, metadata, spKey, draft));
    }

    private ConnectionView insert(String orgRef, ConnectionType type, ConnectionRequest request,
                                  SamlMaterial.Metadata metadata, SamlMaterial.SpKeyPair spKey, boolean draft) {
        Org org = orgs.administered(orgRef);
        Instant now = clock.instant();
        Connection connection = new Connection(UUID.randomUUID(), org.getId(), type, now);
        connection.setName(request.name() != null ? request.name().strip() : defaultName(type));
        boolean first = connections.listByOrg(org.getId()).isEmpty();
        apply(connection, request);
        if (draft) {
            connection.makeDraft();
        }
        if (spKey != null) {
            connection.setSpKey(cipher.encrypt(spKey.privateKeyPkcs8(), connection.spKeyContext()), spKey.certificatePem());
        }
        if (metadata != null) {
            connection.setSamlMetadata(metadata.idp(), metadata.xml(), now);
        }
        if (first || Boolean.TRUE.equals(request.isDefault())) {
            makeDefault(org.getId(), connection);
        }
        connections.persist(connection);
        connections.flush();
        return ConnectionView.of(connection);
    }

    @Transactional
    public List<ConnectionView> list(String orgRef) {
        Org org = orgs.administered(orgRef);
        return connections.listByOrg(org.getId()).stream().map(ConnectionView::of).toList();
    }

    @Transactional
    public ConnectionView get(String orgRef, UUID id) {
        return ConnectionView.of(owned(orgs.administered(orgRef), id));
    }

    /** Changes the fields given; new metadata (XML or URL) is imported before anything is written. */
    public ConnectionView update(String orgRef, UUID id, ConnectionRequest request) {
        return update(orgRef, id, request, java.util.Set.of());
    }

    /**
     * Changes the fields given, and removes the optional fields named in {@code removed} (given as
     * {@code null} in a merge-patch body): overrides and optional settings go back to their defaults.
     */
    public ConnectionView update(String orgRef, UUID id, ConnectionRequest request, java.util.Set<String> removed) {
        Connection existing = QuarkusTransaction.requiringNew().call(() -> owned(orgs.administered(orgRef), id));
        SamlMaterial.Metadata metadata = existing.getType() == ConnectionType.SAML
                && (request.metadataXml() != null || request.settings().metadataUrl() != null) ? metadata(request, existing.getSamlIdp()) : null;
        return QuarkusTransaction.requiringNew().call(() -> change(orgRef, id, request, removed, metadata));
    }

    private ConnectionView change(String orgRef, UUID id, ConnectionRequest request, java.util.Set<String> removed,
                                  SamlMaterial.Metadata metadata) {
        Org org = orgs.administered(orgRef);
        Connection connection = owned(org, id);
        List<FieldError> errors = validator.validateChange(connection.getType(), request, clock.instant());
        egressProblems(request, errors);
        errors.addAll(ConnectionValidator.removalProblems(connection.getType(), removed));
        if (request.isDefault() != null && !request.isDefault() && connection.isDefault()) {
            errors.add(new FieldError("is_default", "cannot be unset; make another connection the default instead"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        if (request.name() != null) {
            connection.setName(request.name().strip());
        }
        if (Boolean.FALSE.equals(request.enabled()) && connection.isEnabled()) {
            changes.fire(new io.gatehouse.platform.AccessChanges.ConnectionClosed(org.getId(), connection.getId()));
        }
        apply(connection, request);
        connection.setSettings(connection.getSettings().without(removed));
        if (removed.contains("client_secret_expires_at")) {
            connection.setClientSecretExpiresAt(null);
        }
        if (metadata != null) {
            connection.setSamlMetadata(metadata.idp(), metadata.xml(), clock.instant());
        }
        if (Boolean.TRUE.equals(request.isDefault()) && !connection.isDefault()) {
            makeDefault(org.getId(), connection);
        }
        connection.touch(clock.instant());
        connections.flush();
        return ConnectionView.of(connection);
    }

    @Transactional
    public void delete(String orgRef, UUID id) {
        Org org = orgs.administered(orgRef);
        Connection connection = owned(org, id);
        changes.fire(new io.gatehouse.platform.AccessChanges.ConnectionClosed(org.getId(), connection.getId()));
        connections.delete(connection);
        connections.flush();
        if (connection.isDefault()) {
            // The oldest remaining connection takes over, so the org keeps a default while it has any.
            connections.listByOrg(org.getId()).stream().findFirst().ifPresent(next -> next.setDefault(true));
        }
    }

    @Transactional
    public SsoOverview overview(String orgRef) {
        Org org = orgs.administered(orgRef);
        Instant now = clock.instant();
        SsoUrls urls = SsoUrls.of(publicUrls.base(), org.getCode());
        List<String> warnings = new ArrayList<>();
        List<SsoOverview.ConnectionSummary> summaries = new ArrayList<>();
        List<Connection> all = connections.listByOrg(org.getId());
        for (Connection c : all) {
            Long days = null;
            if (c.getClientSecretExpiresAt() != null) {
                days = Duration.between(now, c.getClientSecretExpiresAt()).toDays();
                if (!c.getClientSecretExpiresAt().isAfter(now)) {
                    warnings.add("The client secret of connection '" + c.getName() + "' has expired; create a new one in the IdP and save it here.");
                } else if (c.getClientSecretExpiresAt().isBefore(now.plus(SECRET_WARNING))) {
                    warnings.add("The client secret of connection '" + c.getName() + "' expires in " + days + " days.");
                }
            }
            ConnectionSettings s = c.getSettings();
            boolean saml = c.getType() == ConnectionType.SAML;
            if (saml && c.getSamlIdp() == null) {
                warnings.add("SAML connection '" + c.getName() + "' has no IdP metadata yet: upload it or give its URL.");
            } else if (saml) {
                for (SamlIdp.Certificate cert : c.getSamlIdp().certificates()) {
                    if (!cert.notAfter().isAfter(now)) {
                        warnings.add("An IdP signing certificate of connection '" + c.getName() + "' (" + cert.sha256Fingerprint()
                                + ") passed its expiry date; refresh the metadata when the IdP rolls it over.");
                    } else if (cert.notAfter().isBefore(now.plus(SECRET_WARNING))) {
                        warnings.add("An IdP signing certificate of connection '" + c.getName() + "' (" + cert.sha256Fingerprint()
                                + ") expires in " + Duration.between(now, cert.notAfter()).toDays() + " days.");
                    }
                }
            }
            summaries.add(new SsoOverview.ConnectionSummary(ConnectionView.of(c),
                    saml ? (s.spEntityId() != null ? s.spEntityId() : urls.entityId()) : null,
                    saml ? (s.acsUrl() != null ? s.acsUrl() : urls.acsUrl()) : null,
                    c.getClientSecretExpiresAt(), days));
        }
        String parent = org.getSsoParentId() == null ? null : orgs.findById(org.getSsoParentId()).map(Org::getCode).orElse(null);
        if (all.stream().noneMatch(Connection::isEnabled) && parent == null) {
            warnings.add("No enabled connection: nobody of this org can sign in with SSO yet.");
        }
        List<String> accounts = orgs.accountsOf(org.getId()).stream().map(Org::getCode).toList();
        return new SsoOverview(org.getId(), org.getCode(), org.getName(), org.isSsoEnforced(), urls,
                summaries, warnings, parent, accounts);
    }

    /**
     * Everything a sign-in through this OIDC connection of the org needs, the client secret decrypted;
     * empty when the org has no such connection, or it is not OIDC, or it is disabled.
     */
    @Transactional
    public java.util.Optional<OidcConnection> oidcConnection(UUID orgId, UUID connectionId) {
        return oidcConnection(orgId, connectionId, false);
    }

    /** The same, also when the connection is off or a draft if {@code includeOff} (a test sign-in from setup). */
    @Transactional
    public java.util.Optional<OidcConnection> oidcConnection(UUID orgId, UUID connectionId, boolean includeOff) {
        return orgs.findById(orgId).flatMap(org -> connections.findByOrgAndId(org.getId(), connectionId)
                .filter(c -> c.getType().isOidc() && (c.isEnabled() || includeOff))
                .map(c -> oidcConnection(org, c)));
    }

    /** The protocol of one of the org's connections ({@code oidc} or {@code saml}), if it exists. */
    @Transactional
    public Optional<String> protocolOf(UUID orgId, UUID connectionId) {
        return connectionId == null ? Optional.empty() : connections.listByOrg(orgId).stream()
                .filter(c -> c.getId().equals(connectionId)).findFirst()
                .map(c -> c.getType() == ConnectionType.SAML ? "saml" : "oidc");
    }

    /** The org's enabled OIDC connections, with their secrets: for matching an issuer. */
    @Transactional
    public List<OidcConnection> oidcConnections(String orgCode) {
        return orgs.find(orgCode).map(org -> connections.listByOrg(org.getId()).stream()
                .filter(c -> c.getType().isOidc() && c.isEnabled())
                .map(c -> oidcConnection(org, c)).toList()).orElse(List.of());
    }

    private OidcConnection oidcConnection(Org org, Connection c) {
        return new OidcConnection(c.getId(), org.getId(), org.getCode(), c.getType(), c.getSettings(),
                c.getClientSecretCiphertext() == null ? null : cipher.decryptToString(c.getClientSecretCiphertext(), c.secretContext()),
                c.getClientSecretExpiresAt(), c.getUpdatedAt());
    }

    /** The org's default connection when it is enabled; else its oldest enabled one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Optional<ConnectionView> signInConnection(UUID orgId) {
        List<Connection> all = connections.listByOrg(orgId);
        return all.stream().filter(c -> c.isDefault() && c.isEnabled()).findFirst()
                .or(() -> all.stream().filter(Connection::isEnabled).findFirst())
                .map(ConnectionView::of);
    }

    /** A test sign-in through this connection of the org succeeded: it may now be activated as tested. */
    @Transactional
    public void markTested(UUID orgId, UUID connectionId) {
        connections.findByOrgAndId(orgId, connectionId).ifPresent(c -> c.markTested(clock.instant()));
    }

    /** An org's public sign-in choices: its name, whether passwords still work, and its usable connections, default first. */
    public record SignInChoices(String orgCode, String orgName, boolean ssoEnforced, List<ConnectionView> connections,
                                String configurationCode) {
    }

    /**
     * What the org's own sign-in page offers (anyone may see it: it names no person); empty for an unknown org.
     * An account offers its parent's connections and enforcement; {@code configurationCode} is whose they are.
     */
    @Transactional
    public Optional<SignInChoices> signInChoices(String orgCode) {
        return orgs.find(orgCode).map(org -> {
            Org configuration = org.getSsoParentId() == null ? org : orgs.findById(org.getSsoParentId()).orElseThrow();
            return new SignInChoices(org.getCode(), org.getName(), configuration.isSsoEnforced(),
                connections.listByOrg(configuration.getId()).stream()
                        .filter(c -> c.isEnabled() && (c.getType().isOidc() || c.getSamlIdp() != null))
                        .sorted(java.util.Comparator.comparing((Connection c) -> !c.isDefault()))
                        .map(ConnectionView::of).toList(), configuration.getCode());
        });
    }

    /** Counts of client secrets past their expiry, and within the warning window of it (all orgs). */
    @Transactional
    public SecretExpiry secretExpiry() {
        Instant now = clock.instant();
        return new SecretExpiry(connections.count("enabled = true and clientSecretExpiresAt <= ?1", now),
                connections.count("enabled = true and clientSecretExpiresAt > ?1 and clientSecretExpiresAt <= ?2", now, now.plus(SECRET_WARNING)));
    }

    /** Client secrets expired, and expiring soon. */
    public record SecretExpiry(long expired, long expiringSoon) {
    }

    /** Whether this connection of the org exists and is enabled. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean isEnabled(UUID orgId, UUID connectionId) {
        return connectionId != null && connections.findByOrgAndId(orgId, connectionId).map(Connection::isEnabled).orElse(false);
    }

    /** Whether the org has a connection people can sign in through. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean hasEnabledConnection(UUID orgId) {
        return connections.countEnabled(orgId) > 0;
    }

    /** A SAML connection of an org its caller administers: for reading or replacing its IdP metadata. */
    @Transactional
    public SamlConnectionData administeredSaml(String orgRef, UUID id) {
        Org org = orgs.administered(orgRef);
        return samlConnectionData(org, samlOwned(org, id));
    }

    /** Stores IdP metadata read (or fetched) by the caller: the connection's new IdP values and their XML. */
    @Transactional
    public ConnectionView storeSamlMetadata(String orgRef, UUID id, SamlMaterial.Metadata metadata) {
        Connection connection = samlOwned(orgs.administered(orgRef), id);
        connection.setSamlMetadata(metadata.idp(), metadata.xml(), clock.instant());
        connection.touch(clock.instant());
        connections.flush();
        return ConnectionView.of(connection);
    }

    private Connection samlOwned(Org org, UUID id) {
        Connection connection = owned(org, id);
        if (connection.getType() != ConnectionType.SAML) {
            throw ApiException.unprocessable("not-saml", "Connection " + id + " is " + connection.getType()
                    + "; IdP metadata belongs to SAML connections.");
        }
        return connection;
    }

    /** The metadata a create or change request brings: its XML, or fetched from its URL. */
    private SamlMaterial.Metadata metadata(ConnectionRequest request, SamlIdp current) {
        String entityId = request.idpEntityId() != null ? request.idpEntityId() : current == null ? null : current.entityId();
        if (request.metadataXml() != null) {
            return saml.read(request.metadataXml().getBytes(java.nio.charset.StandardCharsets.UTF_8), entityId, "metadata_xml");
        }
        if (request.settings().metadataUrl() != null) {
            return saml.fetch(request.settings().metadataUrl(), entityId);
        }
        return null;
    }

    /** The org's SAML connections (enabled or not), for the SAML endpoints. */
    @Transactional
    public List<SamlConnectionData> samlConnections(String orgCode) {
        return orgs.find(orgCode).map(this::samlConnections).orElse(List.of());
    }

    /** The SAML connections (enabled or not) of an org the caller's transaction has read. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<SamlConnectionData> samlConnections(Org org) {
        return connections.listByOrg(org.getId()).stream().filter(c -> c.getType() == ConnectionType.SAML)
                .map(c -> samlConnectionData(org, c)).toList();
    }

    /** One SAML connection of the org (enabled or not), by its ID. */
    @Transactional
    public Optional<SamlConnectionData> samlConnection(UUID orgId, UUID connectionId) {
        return connections.findByOrgAndId(orgId, connectionId).filter(c -> c.getType() == ConnectionType.SAML)
                .flatMap(c -> orgs.findById(orgId).map(org -> samlConnectionData(org, c)));
    }

    private static SamlConnectionData samlConnectionData(Org org, Connection c) {
        return new SamlConnectionData(c.getId(), org.getId(), org.getCode(), c.isEnabled(), c.isDefault(), c.getSettings(),
                c.getSamlIdp(), c.getSpCertificate(), c.getUpdatedAt());
    }

    /** The SP private key (PKCS#8) of this SAML connection of the org, decrypted; empty when there is no such connection. */
    @Transactional
    public java.util.Optional<byte[]> spPrivateKey(UUID orgId, UUID connectionId) {
        return connections.findByOrgAndId(orgId, connectionId)
                .filter(c -> c.getSpPrivateKeyCiphertext() != null)
                .map(c -> cipher.decrypt(c.getSpPrivateKeyCiphertext(), c.spKeyContext()));
    }

    private Connection owned(Org org, UUID id) {
        return connections.findByOrgAndId(org.getId(), id)
                .orElseThrow(() -> ApiException.notFound("Connection " + id));
    }

    private void apply(Connection connection, ConnectionRequest request) {
        connection.setSettings(connection.getSettings().merge(request.settings()));
        if (Boolean.TRUE.equals(request.enabled()) && connection.isDraft()) {
            // Switching a draft on is activating it; without a good test sign-in first, that is kept.
            connection.activate(clock.instant());
        } else if (request.enabled() != null) {
            connection.setEnabled(request.enabled());
        }
        if (request.clientSecret() != null) {
            connection.setClientSecretCiphertext(cipher.encrypt(request.clientSecret(), connection.secretContext()));
            // A new secret without an expiry must not inherit the old secret's expiry.
            connection.setClientSecretExpiresAt(request.clientSecretExpiresAt());
        } else if (request.clientSecretExpiresAt() != null) {
            connection.setClientSecretExpiresAt(request.clientSecretExpiresAt());
        }
    }

    private void makeDefault(UUID orgId, Connection connection) {
        connections.findDefault(orgId).filter(c -> !c.getId().equals(connection.getId())).ifPresent(previous -> {
            previous.setDefault(false);
            connections.flush();
        });
        connection.setDefault(true);
    }

    private static String defaultName(ConnectionType type) {
        return switch (type) {
            case AZURE_AD -> "Azure AD";
            case OIDC -> "OpenID Connect";
            case SAML -> "SAML";
        };
    }
}
