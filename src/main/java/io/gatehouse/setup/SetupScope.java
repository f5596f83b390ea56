package io.gatehouse.setup;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a setup link opens: single sign-on connections, email domains, directory sync. Nothing else, ever. */
public enum SetupScope {
    SSO, DOMAINS, DIRECTORY;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SetupScope> of(String wire) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(wire)).findFirst();
    }
}
