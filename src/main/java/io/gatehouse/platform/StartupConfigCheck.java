package io.gatehouse.platform;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Refuses to start with a one-line reason when a required setting is missing or malformed, before
 * anything else touches the database or a secret.
 */
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
@ApplicationScoped
public class StartupConfigCheck {

    private static final Logger LOG = Logger.getLogger(StartupConfigCheck.class);

    @Inject
    public StartupConfigCheck(GatehouseConfig config) {
        List<String> problems = problems(config.publicUrl(), config.adminToken(), config.masterKey());
        if (config.retention().loginAttempts().compareTo(config.passwordLogin().lockoutWindow()) < 0) {
            problems.add("GATEHOUSE_RETENTION_LOGIN_ATTEMPTS (gatehouse.retention.login-attempts) is shorter than the password "
                    + "lockout window (gatehouse.password-login.lockout-window), whose failures it must keep");
        }
        if (!problems.isEmpty()) {
            String line = "Gatehouse cannot start: " + String.join("; ", problems);
            LOG.error(line);
            throw new IllegalStateException(line);
        }
    }

    /** Every configuration problem, in words an operator can act on. Empty when all is well. */
    static List<String> problems(String publicUrl, Optional<String> configuredAdminToken, Optional<String> configuredMasterKey) {
        List<String> problems = new ArrayList<>(); // mutable: the constructor adds the cross-setting checks
        String masterKey = configuredMasterKey.map(String::strip).orElse("");
        if (masterKey.isEmpty()) {
            problems.add("GATEHOUSE_MASTER_KEY (gatehouse.master-key) is not set; give it base64 of 32 random bytes, e.g. `openssl rand -base64 32`");
        } else if (decodedLength(masterKey) != 32) {
            problems.add("GATEHOUSE_MASTER_KEY (gatehouse.master-key) must be base64 of exactly 32 bytes");
        }
        String adminToken = configuredAdminToken.map(String::strip).orElse("");
        if (adminToken.isEmpty()) {
            problems.add("GATEHOUSE_ADMIN_TOKEN (gatehouse.admin-token) is not set");
        } else if (adminToken.length() < 16 && !adminToken.startsWith(AdminToken.HASH_PREFIX)) {
            problems.add("GATEHOUSE_ADMIN_TOKEN (gatehouse.admin-token) is shorter than 16 characters");
        }
        try {
            URI url = URI.create(publicUrl);
            if (!url.isAbsolute() || url.getHost() == null || !(url.getScheme().equals("https") || url.getScheme().equals("http"))) {
                problems.add("GATEHOUSE_PUBLIC_URL (gatehouse.public-url) must be an absolute http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            problems.add("GATEHOUSE_PUBLIC_URL (gatehouse.public-url) is not a valid URL");
        }
        return problems;
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }
}
