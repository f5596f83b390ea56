package io.gatehouse.org;

import io.gatehouse.platform.Problem.FieldError;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a connection request against the rules of its type. Pure: no database, no clock of its own.
 * Every problem is reported, each on the field it concerns.
 */
public final class ConnectionValidator {

    private static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", Pattern.CASE_INSENSITIVE);
    /** RFC 6749 §3.3 scope-token. */
    private static final Pattern SCOPE = Pattern.compile("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}$");
    private static final Pattern TOKEN = Pattern.compile("^[\\x21-\\x7E]{1,255}$");
    private static final Set<String> NAME_ID_FORMATS = Set.of(
            "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:entity",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:kerberos",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:WindowsDomainQualifiedName");

    /** Each request field, how to read it, and which types use it. */
    private static final Map<String, Field> FIELDS = Map.ofEntries(
            field("tenant_id", r -> r.settings().tenantId(), ConnectionType.AZURE_AD),
            field("client_id", r -> r.settings().clientId(), ConnectionType.AZURE_AD, ConnectionType.OIDC),
            field("client_secret", ConnectionRequest::clientSecret, ConnectionType.AZURE_AD, ConnectionType.OIDC),
            field("client_secret_expires_at", ConnectionRequest::clientSecretExpiresAt, ConnectionType.AZURE_AD, ConnectionType.OIDC),
            field("issuer", r -> r.settings().issuer(), ConnectionType.OIDC),
            field("discovery_url", r -> r.settings().discoveryUrl(), ConnectionType.AZURE_AD, ConnectionType.OIDC),
            field("scopes", r -> r.settings().scopes(), ConnectionType.AZURE_AD, ConnectionType.OIDC),
            field("claim_mapping", r -> r.settings().claimMapping(), ConnectionType.AZURE_AD, ConnectionType.OIDC),
            field("metadata_url", r -> r.settings().metadataUrl(), ConnectionType.SAML),
            field("metadata_xml", ConnectionRequest::metadataXml, ConnectionType.SAML),
            field("idp_entity_id", ConnectionRequest::idpEntityId, ConnectionType.SAML),
            field("allow_idp_initiated", r -> r.settings().allowIdpInitiated(), ConnectionType.SAML),
            field("sign_requests", r -> r.settings().signRequests(), ConnectionType.SAML),
            field("name_id_format", r -> r.settings().nameIdFormat(), ConnectionType.SAML),
            field("attribute_mapping", r -> r.settings().attributeMapping(), ConnectionType.SAML),
            field("sp_entity_id", r -> r.settings().spEntityId(), ConnectionType.SAML),
            field("acs_url", r -> r.settings().acsUrl(), ConnectionType.SAML),
            field("allow_sha1", r -> r.settings().allowSha1(), ConnectionType.SAML));

    private final boolean allowHttp;

    /** @param allowHttp accept plain http URLs (dev and test only) */
    public ConnectionValidator(boolean allowHttp) {
        this.allowHttp = allowHttp;
    }

    /** The type named by a create request, or null when it names none or an unknown one (reported in errors). */
    public static ConnectionType typeOf(String type, List<FieldError> errors) {
        if (type == null || type.isBlank()) {
            errors.add(new FieldError("type", "is required: one of azure-ad, oidc, saml"));
            return null;
        }
        try {
            return ConnectionType.fromWire(type);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError("type", "must be one of azure-ad, oidc, saml"));
            return null;
        }
    }

    /** Problems of a request that creates a connection of this type. */
    public List<FieldError> validateCreate(ConnectionType type, ConnectionRequest request, Instant now) {
        List<FieldError> errors = validateFields(type, request, now);
        switch (type) {
            case AZURE_AD -> {
                require(errors, "tenant_id", request.settings().tenantId());
                require(errors, "client_id", request.settings().clientId());
                require(errors, "client_secret", request.clientSecret());
            }
            case OIDC -> {
                require(errors, "client_id", request.settings().clientId());
                if (request.settings().issuer() == null && request.settings().discoveryUrl() == null) {
                    errors.add(new FieldError("issuer", "is required (or discovery_url)"));
                }
            }
            case SAML -> {
                // A SAML connection may exist before its IdP metadata arrives.
            }
        }
        return errors;
    }

    /** Problems of a request that changes a connection of this type; the type itself cannot change. */
    public List<FieldError> validateChange(ConnectionType type, ConnectionRequest request, Instant now) {
        List<FieldError> errors = new ArrayList<>();
        if (request.type() != null && !request.type().equals(type.toString())) {
            errors.add(new FieldError("type", "cannot be changed; create a new connection instead"));
        }
        errors.addAll(validateFields(type, request, now));
        return errors;
    }

    /** Optional fields a change may remove (give as null): overrides and settings with a default. */
    static final Map<ConnectionType, java.util.Set<String>> REMOVABLE = Map.of(
            ConnectionType.AZURE_AD, java.util.Set.of("discovery_url", "client_secret_expires_at", "claim_mapping"),
            ConnectionType.OIDC, java.util.Set.of("discovery_url", "client_secret_expires_at", "claim_mapping"),
            ConnectionType.SAML, java.util.Set.of("metadata_url", "name_id_format", "attribute_mapping", "sp_entity_id", "acs_url"));

    /** Problems of removing these fields from a connection of this type. */
    static List<FieldError> removalProblems(ConnectionType type, java.util.Set<String> removed) {
        return removed.stream().sorted().filter(name -> !REMOVABLE.get(type).contains(name))
                .map(name -> new FieldError(name, FIELDS.containsKey(name) && !FIELDS.get(name).types.contains(type)
                        ? "is not used by " + type + " connections"
                        : io.gatehouse.platform.MergePatch.NOT_REMOVABLE))
                .toList();
    }

    private List<FieldError> validateFields(ConnectionType type, ConnectionRequest r, Instant now) {
        ConnectionSettings s = r.settings();
        List<FieldError> errors = new ArrayList<>();
        FIELDS.forEach((name, field) -> {
            if (field.read.apply(r) != null && !field.types.contains(type)) {
                errors.add(new FieldError(name, "is not used by " + type + " connections"));
            }
        });
        if (r.name() != null && (r.name().isBlank() || r.name().length() > 100)) {
            errors.add(new FieldError("name", "must be 1 to 100 characters"));
        }
        if (s.tenantId() != null && type == ConnectionType.AZURE_AD && !GUID.matcher(s.tenantId()).matches()
                && !DOMAIN.matcher(s.tenantId()).matches()) {
            errors.add(new FieldError("tenant_id",
                    "must be the directory (tenant) ID, a GUID, or a verified domain such as contoso.onmicrosoft.com; multi-tenant values such as common are not allowed"));
        }
        if (s.clientId() != null) {
            if (type == ConnectionType.AZURE_AD && !GUID.matcher(s.clientId()).matches()) {
                errors.add(new FieldError("client_id", "must be the application (client) ID, a GUID"));
            } else if (!TOKEN.matcher(s.clientId()).matches()) {
                errors.add(new FieldError("client_id", "must be 1 to 255 visible characters"));
            }
        }
        if (r.clientSecret() != null && (r.clientSecret().isBlank() || r.clientSecret().length() > 1024)) {
            errors.add(new FieldError("client_secret", "must be 1 to 1024 characters"));
        }
        if (r.clientSecretExpiresAt() != null && !r.clientSecretExpiresAt().isAfter(now)) {
            errors.add(new FieldError("client_secret_expires_at", "is in the past; give the new secret's expiry"));
        }
        checkUrl(errors, "issuer", s.issuer());
        checkUrl(errors, "discovery_url", s.discoveryUrl());
        checkUrl(errors, "metadata_url", s.metadataUrl());
        checkUrl(errors, "acs_url", s.acsUrl());
        if (s.metadataUrl() != null && r.metadataXml() != null) {
            errors.add(new FieldError("metadata_xml", "give either metadata_xml or metadata_url, not both"));
        }
        if (r.metadataXml() != null && (r.metadataXml().isBlank() || r.metadataXml().length() > 1024 * 1024)) {
            errors.add(new FieldError("metadata_xml", "must be the IdP's metadata XML, at most 1 MiB"));
        }
        if (r.idpEntityId() != null && (r.idpEntityId().isBlank() || r.idpEntityId().length() > 1024)) {
            errors.add(new FieldError("idp_entity_id", "must be an entity ID of 1 to 1024 characters"));
        }
        if (s.spEntityId() != null && !isAbsoluteUri(s.spEntityId())) {
            errors.add(new FieldError("sp_entity_id", "must be an absolute URI (a URL or a URN)"));
        }
        if (s.scopes() != null) {
            checkScopes(errors, s.scopes());
        }
        checkMapping(errors, "claim_mapping", s.claimMapping());
        checkMapping(errors, "attribute_mapping", s.attributeMapping());
        if (s.nameIdFormat() != null && !NAME_ID_FORMATS.contains(s.nameIdFormat())) {
            errors.add(new FieldError("name_id_format", "must be a SAML NameID format URN such as "
                    + "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"));
        }
        return errors;
    }

    private static void checkScopes(List<FieldError> errors, List<String> scopes) {
        if (scopes.isEmpty() || scopes.size() > 20) {
            errors.add(new FieldError("scopes", "must list 1 to 20 scopes"));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            if (scope == null || !SCOPE.matcher(scope).matches()) {
                errors.add(new FieldError("scopes[" + i + "]", "is not a valid scope"));
            } else if (!seen.add(scope)) {
                errors.add(new FieldError("scopes[" + i + "]", "is listed twice"));
            }
        }
        if (!seen.contains("openid")) {
            errors.add(new FieldError("scopes", "must include openid"));
        }
    }

    private static void checkMapping(List<FieldError> errors, String field, ClaimMapping mapping) {
        if (mapping == null) {
            return;
        }
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        entries.put("subject", mapping.subject());
        entries.put("email", mapping.email());
        entries.put("name", mapping.name());
        entries.put("first_name", mapping.firstName());
        entries.put("last_name", mapping.lastName());
        entries.put("groups", mapping.groups());
        entries.forEach((key, value) -> {
            if (value != null && (value.isBlank() || value.length() > 256 || value.chars().anyMatch(Character::isISOControl))) {
                errors.add(new FieldError(field + "." + key, "must be a claim or attribute name of 1 to 256 characters"));
            }
        });
    }

    private void checkUrl(List<FieldError> errors, String field, String value) {
        if (value == null) {
            return;
        }
        String problem = urlProblem(value, allowHttp);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
        }
    }

    /** Why this is not an acceptable absolute URL, or null when it is. */
    public static String urlProblem(String value, boolean allowHttp) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!uri.isAbsolute() || uri.getHost() == null) {
            return "must be an absolute URL";
        }
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            return allowHttp ? "must use https or http" : "must use https";
        }
        if (uri.getUserInfo() != null || uri.getFragment() != null) {
            return "must not contain credentials or a fragment";
        }
        return value.length() > 2048 ? "must be at most 2048 characters" : null;
    }

    private static boolean isAbsoluteUri(String value) {
        try {
            return new URI(value).isAbsolute() && value.length() <= 1024;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static void require(List<FieldError> errors, String field, Object value) {
        if (value == null && errors.stream().noneMatch(e -> e.field().equals(field))) {
            errors.add(new FieldError(field, "is required"));
        }
    }

    private record Field(Function<ConnectionRequest, Object> read, Set<ConnectionType> types) {
    }

    private static Map.Entry<String, Field> field(String name, Function<ConnectionRequest, Object> read, ConnectionType... types) {
        return Map.entry(name, new Field(read, Set.of(types)));
    }
}
