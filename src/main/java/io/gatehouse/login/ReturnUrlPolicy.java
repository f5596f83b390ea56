package io.gatehouse.login;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collection;
import java.util.Locale;

/**
 * Whether a {@code return_to} may be redirected to: a path on Gatehouse itself, or a URL under one of
 * the allowed entries (same scheme, host and port; path under the entry's path). Pure.
 */
public final class ReturnUrlPolicy {

    private ReturnUrlPolicy() {
    }

    public static boolean isAllowed(String target, Collection<String> allowed) {
        if (target == null || target.isEmpty() || target.length() > 2048 || target.chars().anyMatch(c -> c < 0x21 || c == '\\')) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(target);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!uri.isAbsolute()) {
            // A local path: "/x" but never "//host" (scheme-relative) or anything with an authority.
            return target.startsWith("/") && !target.startsWith("//") && uri.getRawAuthority() == null;
        }
        if (uri.getRawUserInfo() != null || uri.getHost() == null) {
            return false;
        }
        return allowed.stream().anyMatch(entry -> matches(uri, entry));
    }

    private static boolean matches(URI target, String entry) {
        URI allowed;
        try {
            allowed = new URI(entry);
        } catch (URISyntaxException e) {
            return false;
        }
        if (!allowed.isAbsolute() || allowed.getHost() == null) {
            return false;
        }
        String path = allowed.getRawPath() == null || allowed.getRawPath().isEmpty() ? "/" : allowed.getRawPath();
        String targetPath = target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath();
        boolean underPath = path.endsWith("/") ? targetPath.startsWith(path) : targetPath.equals(path) || targetPath.startsWith(path + "/");
        return allowed.getScheme().equalsIgnoreCase(target.getScheme())
                && allowed.getHost().toLowerCase(Locale.ROOT).equals(target.getHost().toLowerCase(Locale.ROOT))
                && port(allowed) == port(target)
                && underPath
                && !targetPath.contains("/../") && !targetPath.endsWith("/..");
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }
}
