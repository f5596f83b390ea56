package io.gatehouse.org;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Mail domains anyone can sign up for (gmail.com, outlook.com …): never an org's. The list is a resource file. */
public final class ConsumerDomains {

    private static final Set<String> DOMAINS = load();

    private ConsumerDomains() {
    }

    /** Whether the domain, or a domain above it, is a consumer mail domain. */
    public static boolean contains(String domain) {
        String d = domain.toLowerCase(Locale.ROOT);
        while (true) {
            if (DOMAINS.contains(d)) {
                return true;
            }
            int dot = d.indexOf('.');
            if (dot < 0) {
                return false;
            }
            d = d.substring(dot + 1);
        }
    }

    private static Set<String> load() {
        try (InputStream in = ConsumerDomains.class.getResourceAsStream("consumer-email-domains.txt")) {
            if (in == null) {
                throw new IllegalStateException("consumer-email-domains.txt is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
