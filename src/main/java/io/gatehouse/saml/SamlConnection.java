package io.gatehouse.saml;

import io.gatehouse.org.ConnectionSettings;
import io.gatehouse.org.SamlIdp;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;

/**
 * Everything a SAML sign-in through one connection needs: the IdP's metadata, the connection's
 * settings, its signing certificates parsed, and the SP key pair (private key decrypted). {@code idp}
 * is null (and the certificates empty) until metadata arrives.
 */
public record SamlConnection(UUID id, UUID orgId, String orgCode, boolean enabled, boolean isDefault, ConnectionSettings settings,
                             SamlIdp idp, List<X509Certificate> idpCertificates, PrivateKey spPrivateKey,
                             X509Certificate spCertificate) {

    public boolean allowIdpInitiated() {
        return !Boolean.FALSE.equals(settings.allowIdpInitiated());
    }

    public boolean signRequests() {
        return Boolean.TRUE.equals(settings.signRequests());
    }

    public boolean allowSha1() {
        return Boolean.TRUE.equals(settings.allowSha1());
    }

    /** Whether people can sign in through it: enabled, and its IdP metadata is known. */
    public boolean usable() {
        return enabled && idp != null;
    }

    @Override
    public String toString() {
        return "SamlConnection[" + id + ", org " + orgCode + "]";
    }
}
