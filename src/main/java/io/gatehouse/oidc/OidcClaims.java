package io.gatehouse.oidc;

import io.gatehouse.login.ExternalIdentity;
import io.gatehouse.login.LoginFailure;
import io.gatehouse.org.ClaimMapping;
import io.gatehouse.org.ConnectionType;
import io.gatehouse.org.OidcConnection;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Verified ID token claims → the person. The email counts as verified only where the IdP says so
 * ({@code email_verified: true}; Entra: {@code xms_edov}, or the org's verified domain). Entra: subject {@code oid}+{@code tid}, and {@code tid} must be
 * the connection's tenant; email from {@code email}, else {@code preferred_username} when it is an
 * email. Generic OIDC: the connection's claim names, else {@code sub}, {@code email}, {@code name},
 * {@code groups}. Pure.
 */
public final class OidcClaims {

    private static final Pattern GUID = Pattern.compile("^[0-9a-fA-F-]{36}$");

    private OidcClaims() {
    }

    /** The identity, or the reason it cannot be one. */
    public record Result(ExternalIdentity identity, LoginFailure failure) {
    }

    public static Result map(OidcConnection connection, Map<String, Object> claims) {
        if (audienceProblem(claims, connection.settings().clientId()) != null) {
            return new Result(null, LoginFailure.ID_TOKEN_INVALID);
        }
        ClaimMapping mapping = connection.settings().claimMapping();
        String subject;
        boolean azure = connection.type() == ConnectionType.AZURE_AD;
        if (azure) {
            String tid = string(claims, "tid");
            String tenant = connection.settings().tenantId();
            // A GUID tenant must match exactly; a domain-named tenant still needs a tid from the token.
            if (tid == null || (GUID.matcher(tenant).matches() && !tenant.equalsIgnoreCase(tid))) {
                return new Result(null, LoginFailure.TENANT_MISMATCH);
            }
            String oid = string(claims, "oid");
            subject = oid == null ? null : oid + ":" + tid;
        } else {
            subject = string(claims, name(mapping == null ? null : mapping.subject(), "sub"));
        }
        if (subject == null || subject.isBlank()) {
            return new Result(null, LoginFailure.SUBJECT_MISSING);
        }
        String email = string(claims, name(mapping == null ? null : mapping.email(), "email"));
        if (email == null) {
            String preferred = string(claims, "preferred_username");
            email = preferred != null && preferred.contains("@") ? preferred : null;
        }
        String displayName = string(claims, name(mapping == null ? null : mapping.name(), "name"));
        String groupsClaim = name(mapping == null ? null : mapping.groups(), "groups");
        // Entra ID leaves the groups out when there are too many and says so (_claim_names, or hasgroups): null.
        List<String> groups = overage(claims, groupsClaim) ? null : list(claims.get(groupsClaim));
        String idpSession = string(claims, "sid");
        // Entra sends email unverified; its optional xms_edov claim says the domain owner verified it.
        boolean verified = azure ? isTrue(claims.get("xms_edov")) : isTrue(claims.get("email_verified"));
        return new Result(new ExternalIdentity(connection.orgId(), connection.id(), "oidc", subject, email, displayName,
                groups, idpSession, verified, azure), null);
    }

    /** Whether the token says the groups were left out (Entra's groups overage claim). */
    static boolean overage(Map<String, Object> claims, String groupsClaim) {
        return (claims.get("_claim_names") instanceof Map<?, ?> names && names.containsKey(groupsClaim))
                || isTrue(claims.get("hasgroups"));
    }

    /** A boolean claim that is true: JSON true, or the strings IdPs send for it ("true", Entra's "1"). */
    private static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value) || "true".equals(value) || "1".equals(value)
                || (value instanceof Number n && n.intValue() == 1);
    }

    /**
     * OIDC Core 3.1.3.7: an ID token for several audiences is ours only when its {@code azp} is our
     * client ID, and an {@code azp} present must be our client ID. Null when the audience is fine.
     */
    static String audienceProblem(Map<String, Object> claims, String clientId) {
        Object aud = claims.get("aud");
        List<String> audiences = aud instanceof String one ? List.of(one) : list(aud);
        String azp = string(claims, "azp");
        if (audiences.size() > 1 && azp == null) {
            return "the ID token has several audiences (" + String.join(" ", audiences) + ") and no azp";
        }
        if (azp != null && !azp.equals(clientId)) {
            return "the ID token's azp is " + azp + ", not this connection's client ID";
        }
        return null;
    }

    private static String name(String configured, String standard) {
        return Optional.ofNullable(configured).orElse(standard);
    }

    private static String string(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static List<String> list(Object value) {
        if (value instanceof List<?> items) {
            return items.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }
}
