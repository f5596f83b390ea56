package io.gatehouse.org;

/**
 * What a SAML connection needs besides its settings, made by the package that knows SAML (metadata
 * parsing and fetching, key generation): {@code org} stores the results as data and never reads them
 * as SAML. Implemented by the SAML package.
 */
public interface SamlMaterial {

    /**
     * The IdP in this metadata XML: the one with {@code idpEntityId}, or the only one.
     *
     * @param field the request field the XML came from, named in the error
     * @throws io.gatehouse.platform.ApiException (400, {@code field} named) when the metadata is not usable
     */
    Metadata read(byte[] xml, String idpEntityId, String field);

    /**
     * The IdP in the metadata fetched from {@code url} now.
     *
     * @throws io.gatehouse.platform.ApiException (400, {@code metadata_url} named) when it cannot be fetched or used
     */
    Metadata fetch(String url, String idpEntityId);

    /** A new SP key pair for a connection, its certificate self-signed for {@code commonName}. */
    SpKeyPair newSpKey(String commonName);

    /** IdP metadata as read: the values kept, and the XML they came from. */
    record Metadata(SamlIdp idp, String xml) {
    }

    /** An SP key pair: the private key's PKCS#8 encoding (encrypted before it is stored) and the certificate's PEM. */
    record SpKeyPair(byte[] privateKeyPkcs8, String certificatePem) {
    }
}
