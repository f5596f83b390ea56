package io.gatehouse.forwardauth;

import io.gatehouse.token.VerifiedToken;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The decisions of the forward-auth endpoint, pure: which requirements a verified token meets,
 * which original URL may be carried to the login page, and the identity headers.
 */
public final class ForwardAuth {

    private static final java.util.regex.Pattern CONTROL = java.util.regex.Pattern.compile("\\p{Cntrl}");

    private ForwardAuth() {
    }

    /** Whether the token meets {@code ?org=} (code or id) and {@code ?role=} (any of a comma list). */
    public static boolean meets(VerifiedToken token, String org, String role) {
        if (org != null && !org.isBlank() && !org.equals(token.orgCode()) && !org.equals(token.orgId().toString())) {
            return false;
        }
        if (role != null && !role.isBlank()) {
            return Arrays.stream(role.split(",")).map(String::strip).anyMatch(token.roles()::contains);
        }
        return true;
    }

    /**
     * The URL the user was going to, from what the proxy says ({@code X-Original-URL}, else
     * {@code X-Forwarded-Proto/Host/Uri}), or null when it is missing or its host is not allowed.
     */
    public static String originalUrl(Map<String, String> headers, List<String> allowedHosts) {
        String url = headers.get("x-original-url");
        if (url == null) {
            String host = headers.get("x-forwarded-host");
            if (host == null) {
                return null;
            }
            String proto = headers.getOrDefault("x-forwarded-proto", "https");
            String uri = headers.getOrDefault("x-forwarded-uri", "/");
            url = proto + "://" + host + (uri.startsWith("/") ? uri : "/" + uri);
        }
        try {
            java.net.URI parsed = new java.net.URI(url);
            String scheme = parsed.getScheme() == null ? "" : parsed.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || parsed.getHost() == null || parsed.getRawUserInfo() != null) {
                return null;
            }
            String host = parsed.getHost().toLowerCase(Locale.ROOT);
            boolean allowed = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT))
                    .anyMatch(h -> h.startsWith(".") ? host.endsWith(h) || host.equals(h.substring(1)) : host.equals(h));
            return allowed ? url : null;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** The identity headers for the upstream service. */
    public static Map<String, String> headers(VerifiedToken token) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("X-Auth-User-Id", token.userId().toString());
        headers.put("X-Auth-Username", clean(token.username()));
        headers.put("X-Auth-Email", clean(token.email()));
        headers.put("X-Auth-Org", clean(token.orgCode()));
        headers.put("X-Auth-Org-Id", token.orgId().toString());
        headers.put("X-Auth-Roles", clean(String.join(",", token.roles())));
        return headers;
    }

    /** Header-safe: no control characters (no header splitting), empty for null. */
    private static String clean(String value) {
        return value == null ? "" : CONTROL.matcher(value).replaceAll("");
    }
}
