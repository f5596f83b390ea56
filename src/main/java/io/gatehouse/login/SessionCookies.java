package io.gatehouse.login;

import io.gatehouse.platform.GatehouseConfig;

/** The browser session cookie: {@code Secure; HttpOnly; SameSite=Lax}, and reading it back. */
public final class SessionCookies {

    private SessionCookies() {
    }

    /** A Set-Cookie value holding the session's token. */
    public static String set(GatehouseConfig config, String token, long maxAgeSeconds) {
        return config.cookie().name() + "=" + token + attributes(config) + "; Max-Age=" + maxAgeSeconds;
    }

    /** A Set-Cookie value that removes the cookie. */
    public static String clear(GatehouseConfig config) {
        return config.cookie().name() + "=" + attributes(config) + "; Max-Age=0";
    }

    private static String attributes(GatehouseConfig config) {
        return "; Path=/" + config.cookie().domain().map(d -> "; Domain=" + d).orElse("") + "; Secure; HttpOnly; SameSite=Lax";
    }

    /** The value of the named cookie in a Cookie header, or null. */
    public static String value(String cookieHeader, String name) {
        if (cookieHeader == null) {
            return null;
        }
        for (String pair : cookieHeader.split(";")) {
            String trimmed = pair.strip();
            if (trimmed.startsWith(name + "=")) {
                String value = trimmed.substring(name.length() + 1);
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }
}
