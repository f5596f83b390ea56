package io.gatehouse.platform;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Says where to open Gatehouse once it is up; in dev mode also the fixed dev admin token. */
@ApplicationScoped
public class StartupBanner {

    private static final Logger LOG = Logger.getLogger(StartupBanner.class);

    private final GatehouseConfig config;

    public StartupBanner(GatehouseConfig config) {
        this.config = config;
    }

    void onStart(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        if (LaunchMode.current() == LaunchMode.TEST) {
            return;
        }
        String base = config.publicUrl();
        StringBuilder banner = new StringBuilder("Gatehouse is up:")
                .append("\n    Sign in:     ").append(base).append("/login")
                .append("\n    Swagger UI:  ").append(base).append("/q/swagger-ui")
                .append("\n    SSO config:  ").append(base).append("/v1/orgs/{org}/sso")
                .append("\n    JWKS:        ").append(base).append("/.well-known/jwks.json");
        if (LaunchMode.current() == LaunchMode.DEVELOPMENT) {
            banner.append("\n    dev admin token (Authorization: Bearer …): ").append(config.adminToken().orElse(""));
        }
        LOG.info(banner);
    }
}
