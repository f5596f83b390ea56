package io.gatehouse.saml;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Initializes OpenSAML when Gatehouse starts, on a thread of its own: the rest of the start (Hibernate,
 * Flyway, the HTTP server) goes on meanwhile, and readiness stays DOWN until OpenSAML is ready, so no
 * SAML request is routed here before. A request that comes anyway waits for it ({@link OpenSaml#initialize}
 * is synchronized), so nothing is ever served half-initialized.
 */
@Startup
@Readiness
@Singleton
public class OpenSamlStartup implements HealthCheck {

    OpenSamlStartup() {
        Thread.ofPlatform().daemon().name("opensaml-init").start(OpenSaml::initialize);
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("saml").status(OpenSaml.initialized()).build();
    }
}
