package io.gatehouse.token;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only with an active signing key loaded: without one no sign-in can finish. */
@Readiness
@ApplicationScoped
public class SigningKeyHealthCheck implements HealthCheck {

    private final SigningKeys keys;

    public SigningKeyHealthCheck(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("signing-key").status(keys.ready()).build();
    }
}
