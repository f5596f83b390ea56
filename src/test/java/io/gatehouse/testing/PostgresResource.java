package io.gatehouse.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A real PostgreSQL (zonky's binaries from Maven Central) for the tests, started once per JVM. Both
 * {@code @QuarkusTest} and the packaged application under {@code @QuarkusIntegrationTest} use it, and
 * tests read it directly through {@link Db}. Gatehouse's DNS questions go to {@link DnsServer}.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedPostgres postgres;

    /** Starts the database if it is not running yet; returns its JDBC URL. */
    public static synchronized String jdbcUrl() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // The JVM is exiting.
                }
            }));
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                // The loopback DNS server of the tests (started by the tests that publish records).
                "gatehouse.dns.resolver", DnsServer.address(),
                "gatehouse.dns.timeout", "2s");
    }

    @Override
    public void stop() {
        // Kept for the rest of the JVM: the next test class reuses it.
    }
}
