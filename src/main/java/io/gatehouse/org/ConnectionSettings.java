package io.gatehouse.org;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * The non-secret, type-specific settings of a connection, stored as JSON. Which fields a type uses is
 * decided by {@link ConnectionValidator}; the rest stay null.
 *
 * @param tenantId          azure-ad: the Entra tenant (GUID or verified domain)
 * @param clientId          azure-ad, oidc: the application (client) ID
 * @param issuer            oidc: the issuer URL
 * @param discoveryUrl      azure-ad, oidc: the discovery document URL, overriding the derived one
 * @param scopes            oidc: scopes to request
 * @param claimMapping      azure-ad, oidc: claim names for profile fields
 * @param metadataUrl       saml: where the IdP metadata is fetched from
 * @param allowIdpInitiated saml: accept unsolicited responses from the IdP portal
 * @param signRequests      saml: sign AuthnRequests with the SP key
 * @param nameIdFormat      saml: the NameID format to request
 * @param attributeMapping  saml: attribute names for profile fields
 * @param spEntityId        saml: override of the SP entity ID, for orgs migrating from another SP
 * @param acsUrl            saml: override of the ACS URL, likewise
 * @param allowSha1         saml: accept SHA-1 signatures (legacy IdPs only)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionSettings(
        String tenantId,
        String clientId,
        String issuer,
        String discoveryUrl,
        List<String> scopes,
        ClaimMapping claimMapping,
        String metadataUrl,
        Boolean allowIdpInitiated,
        Boolean signRequests,
        String nameIdFormat,
        ClaimMapping attributeMapping,
        String spEntityId,
        String acsUrl,
        Boolean allowSha1) {

    /** Settings of an IdP as the admin page asks for them; the rest unset. */
    public static ConnectionSettings of(String tenantId, String clientId, String issuer, List<String> scopes, String metadataUrl) {
        return new ConnectionSettings(tenantId, clientId, issuer, null, scopes, null, metadataUrl, null, null, null, null,
                null, null, null);
    }

    /** These settings with the SAML options the admin page changes. */
    public ConnectionSettings withSamlOptions(Boolean allowIdpInitiated, Boolean signRequests, ClaimMapping attributeMapping) {
        return new ConnectionSettings(tenantId, clientId, issuer, discoveryUrl, scopes, claimMapping, metadataUrl,
                allowIdpInitiated, signRequests, nameIdFormat, attributeMapping, spEntityId, acsUrl, allowSha1);
    }

    /** These settings with every field the change gives replacing the stored one. */
    ConnectionSettings merge(ConnectionSettings change) {
        return new ConnectionSettings(
                pick(change.tenantId(), tenantId),
                pick(change.clientId(), clientId),
                pick(change.issuer(), issuer),
                pick(change.discoveryUrl(), discoveryUrl),
                pick(change.scopes(), scopes),
                ClaimMapping.merge(claimMapping, change.claimMapping()),
                pick(change.metadataUrl(), metadataUrl),
                pick(change.allowIdpInitiated(), allowIdpInitiated),
                pick(change.signRequests(), signRequests),
                pick(change.nameIdFormat(), nameIdFormat),
                ClaimMapping.merge(attributeMapping, change.attributeMapping()),
                pick(change.spEntityId(), spEntityId),
                pick(change.acsUrl(), acsUrl),
                pick(change.allowSha1(), allowSha1));
    }

    /** These settings without the named (snake_case) fields: removed overrides fall back to the defaults. */
    ConnectionSettings without(java.util.Set<String> removed) {
        return new ConnectionSettings(
                removed.contains("tenant_id") ? null : tenantId,
                removed.contains("client_id") ? null : clientId,
                removed.contains("issuer") ? null : issuer,
                removed.contains("discovery_url") ? null : discoveryUrl,
                removed.contains("scopes") ? null : scopes,
                removed.contains("claim_mapping") ? null : claimMapping,
                removed.contains("metadata_url") ? null : metadataUrl,
                removed.contains("allow_idp_initiated") ? null : allowIdpInitiated,
                removed.contains("sign_requests") ? null : signRequests,
                removed.contains("name_id_format") ? null : nameIdFormat,
                removed.contains("attribute_mapping") ? null : attributeMapping,
                removed.contains("sp_entity_id") ? null : spEntityId,
                removed.contains("acs_url") ? null : acsUrl,
                removed.contains("allow_sha1") ? null : allowSha1);
    }

    public static final ConnectionSettings EMPTY = new ConnectionSettings(null, null, null, null, null, null, null,
            null, null, null, null, null, null, null);

    private static <T> T pick(T change, T base) {
        return change != null ? change : base;
    }
}
