package io.gatehouse.saml;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gatehouse.org.ConnectionService;
import io.gatehouse.org.ConnectionView;
import io.gatehouse.org.Org;
import io.gatehouse.org.SamlConnectionData;
import io.gatehouse.org.SsoUrls;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.GatehouseConfig;
import io.gatehouse.platform.PublicUrls;
import jakarta.enterprise.context.ApplicationScoped;
import org.opensaml.security.x509.BasicX509Credential;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An org's SAML connections as the SAML endpoints use them: stored data from {@code org} with its keys
 * and certificates parsed (and the SP key decrypted) once per version of a connection; their SP values;
 * what the response validator expects of them; and their IdP metadata, uploaded or fetched again.
 */
@ApplicationScoped
public class SamlConnections {

    private final ConnectionService connections;
    private final SamlMetadataImport metadata;
    private final PublicUrls urls;
    private final GatehouseConfig config;

    /** A connection's keys and certificates, parsed (and the SP key decrypted) once per version of it. */
    private record KeyMaterial(Instant updatedAt, List<X509Certificate> idpCertificates, PrivateKey spPrivateKey,
                               X509Certificate spCertificate) {
    }

    private final Cache<UUID, KeyMaterial> keyMaterial = Caffeine.newBuilder().maximumSize(10_000).build();

    public SamlConnections(ConnectionService connections, SamlMetadataImport metadata, PublicUrls urls,
                           GatehouseConfig config) {
        this.connections = connections;
        this.metadata = metadata;
        this.urls = urls;
        this.config = config;
    }

    /** The SP values of one connection: entity ID (= audience) and the ACS URLs it answers on (the first is sent). */
    public record SpValues(String entityId, List<String> acsUrls, String metadataUrl, String loginUrl, String sloUrl) {
    }

    /** The org's SAML connections (enabled or not), oldest first. */
    public List<SamlConnection> all(String orgCode) {
        return connections.samlConnections(orgCode).stream().map(this::withKeys).toList();
    }

    /** The SAML connections (enabled or not) of an org the caller's transaction has read. */
    public List<SamlConnection> all(Org org) {
        return connections.samlConnections(org).stream().map(this::withKeys).toList();
    }

    /** The connection to use: the one asked for, else the org's default SAML connection, else its oldest. */
    public Optional<SamlConnection> connection(String orgCode, UUID connectionId) {
        List<SamlConnection> all = all(orgCode);
        if (connectionId != null) {
            return all.stream().filter(c -> c.id().equals(connectionId)).findFirst();
        }
        return all.stream().filter(SamlConnection::isDefault).findFirst().or(() -> all.stream().findFirst());
    }

    /** One SAML connection of the org by its ID (enabled or not). */
    public Optional<SamlConnection> byId(UUID orgId, UUID connectionId) {
        return connections.samlConnection(orgId, connectionId).map(this::withKeys);
    }

    public SpValues spValues(SamlConnection connection) {
        SsoUrls org = SsoUrls.of(urls.base(), connection.orgCode());
        String entityId = connection.settings().spEntityId() != null ? connection.settings().spEntityId() : org.entityId();
        List<String> acs = connection.settings().acsUrl() != null ? List.of(connection.settings().acsUrl())
                : List.of(org.acsUrl(), org.acsUrlQueryForm());
        return new SpValues(entityId, acs, org.metadataUrl(), org.entityId(), org.sloUrl());
    }

    /** What a response through this connection must match (its IdP metadata must be known). */
    public SamlResponseValidator.Expectations expectations(SamlConnection c) {
        SpValues sp = spValues(c);
        return new SamlResponseValidator.Expectations(c.idp().entityId(), c.idpCertificates(), sp.entityId(),
                Set.copyOf(sp.acsUrls()), c.allowSha1(), c.allowIdpInitiated(), config.saml().clockSkew(),
                new BasicX509Credential(c.spCertificate(), c.spPrivateKey()));
    }

    /** {@code PUT …/metadata}: the IdP's metadata XML, uploaded; read before anything is written. */
    public ConnectionView uploadMetadata(String orgRef, UUID id, byte[] xml, String idpEntityId) {
        SamlConnectionData existing = connections.administeredSaml(orgRef, id);
        var read = metadata.read(xml, idpEntityId != null ? idpEntityId : entityIdOf(existing), "metadata_xml");
        return connections.storeSamlMetadata(orgRef, id, read);
    }

    /**
     * A page's metadata form: the uploaded file's XML when one was chosen, else the URL (saved on the
     * connection, fetched now); neither is refused.
     */
    public void replaceMetadata(String orgRef, UUID id, String xml, String url) {
        if (xml != null) {
            uploadMetadata(orgRef, id, xml.getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
        } else if (url != null) {
            connections.update(orgRef, id, io.gatehouse.org.ConnectionRequest.toChange(null,
                    io.gatehouse.org.ConnectionSettings.of(null, null, null, null, url)));
        } else {
            throw ApiException.invalidField("metadata_xml", "choose the IdP's metadata file, or give its URL");
        }
    }

    /** {@code POST …/metadata/refresh}: fetched again from the connection's {@code metadata_url}. */
    public ConnectionView refreshMetadata(String orgRef, UUID id, String idpEntityId) {
        SamlConnectionData existing = connections.administeredSaml(orgRef, id);
        String url = existing.settings().metadataUrl();
        if (url == null) {
            throw ApiException.invalidField("metadata_url", "is not set on this connection; set it, or upload the XML with PUT …/metadata");
        }
        var fetched = metadata.fetch(url, idpEntityId != null ? idpEntityId : entityIdOf(existing));
        return connections.storeSamlMetadata(orgRef, id, fetched);
    }

    private static String entityIdOf(SamlConnectionData connection) {
        return connection.idp() == null ? null : connection.idp().entityId();
    }

    private SamlConnection withKeys(SamlConnectionData c) {
        KeyMaterial keys = keyMaterial.asMap().compute(c.id(), (id, known) ->
                known != null && known.updatedAt().equals(c.updatedAt()) ? known : readKeys(c));
        return new SamlConnection(c.id(), c.orgId(), c.orgCode(), c.enabled(), c.isDefault(), c.settings(), c.idp(),
                keys.idpCertificates(), keys.spPrivateKey(), keys.spCertificate());
    }

    private KeyMaterial readKeys(SamlConnectionData c) {
        byte[] pkcs8 = connections.spPrivateKey(c.orgId(), c.id())
                .orElseThrow(() -> new IllegalStateException("SAML connection " + c.id() + " has no SP key"));
        try {
            return new KeyMaterial(c.updatedAt(), c.idp() == null ? List.of() : IdpMetadata.certificates(c.idp()),
                    Certificates.privateKey(pkcs8), Certificates.parse(c.spCertificatePem()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the SP key of connection " + c.id() + " is unreadable", e);
        }
    }
}
