package io.gatehouse.org;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness detail: how many client secrets have expired or expire within 30 days. Always UP (an
 * org's expired secret must not take Gatehouse out of service), but visible to whoever watches.
 */
@Readiness
@ApplicationScoped
public class ClientSecretHealthCheck implements HealthCheck {

    private final ConnectionService connections;

    public ClientSecretHealthCheck(ConnectionService connections) {
        this.connections = connections;
    }

    @Override
    public HealthCheckResponse call() {
        ConnectionService.SecretExpiry expiry;
        try {
            expiry = connections.secretExpiry();
        } catch (RuntimeException e) {
            // The database check says why; this one only cannot count.
            return HealthCheckResponse.named("client-secrets").down().withData("error", "cannot be counted now").build();
        }
        return HealthCheckResponse.named("client-secrets").up()
                .withData("expired", expiry.expired())
                .withData("expiring_within_30_days", expiry.expiringSoon())
                .build();
    }
}
