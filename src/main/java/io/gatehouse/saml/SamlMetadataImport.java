package io.gatehouse.saml;

import io.gatehouse.egress.Egress;
import io.gatehouse.org.SamlMaterial;
import io.gatehouse.platform.ApiException;
import io.gatehouse.platform.GatehouseConfig;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * The SAML material of a connection, made here for {@code org} to store: IdP metadata read from XML
 * or fetched from its URL (https only, through the egress policy, size and time limited),
 * and a connection's SP key pair.
 */
@ApplicationScoped
public class SamlMetadataImport implements SamlMaterial {

    /** How long the self-signed certificate of a SAML connection's SP key is valid. */
    static final Duration SP_KEY_VALIDITY = Duration.ofDays(3650);

    private final MetadataFetcher fetcher;
    private final Clock clock;

    public SamlMetadataImport(GatehouseConfig config, Vertx vertx, Clock clock, Egress egress) {
        this.fetcher = new MetadataFetcher(vertx, egress.proxyOptions(), config.allowHttpUrls(),
                config.saml().metadataFetchTimeout());
        this.clock = clock;
    }

    @Override
    public Metadata read(byte[] xml, String idpEntityId, String field) {
        try {
            return new Metadata(IdpMetadata.parse(xml, idpEntityId), new String(xml, StandardCharsets.UTF_8));
        } catch (IdpMetadata.Invalid e) {
            String choices = e.choices().isEmpty() ? "" : " Entity IDs in it: " + String.join(", ", e.choices()) + ".";
            throw ApiException.invalidField(field, e.getMessage() + choices);
        }
    }

    @Override
    public Metadata fetch(String url, String idpEntityId) {
        byte[] xml;
        try {
            xml = fetcher.fetch(url);
        } catch (MetadataFetcher.FetchFailed e) {
            throw ApiException.invalidField("metadata_url", e.getMessage());
        }
        return read(xml, idpEntityId, "metadata_url");
    }

    @Override
    public SpKeyPair newSpKey(String commonName) {
        Certificates.SpKey key = Certificates.newSpKey(commonName, clock.instant(), SP_KEY_VALIDITY);
        return new SpKeyPair(key.privateKey().getEncoded(), Certificates.pem(key.certificate()));
    }
}
