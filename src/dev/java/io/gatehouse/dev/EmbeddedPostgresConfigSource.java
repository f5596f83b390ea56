package io.gatehouse.dev;

import io.quarkus.runtime.LaunchMode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Dev mode only (the {@code dev-db} Maven profile): starts a real PostgreSQL from the zonky binaries
 * the first time the datasource is asked for, keeps its data under {@code target/dev/postgres}, and
 * points the datasource at it. Never on the classpath of the packaged application.
 */
public class EmbeddedPostgresConfigSource implements ConfigSource {

    /** Dev mode loads this class in more than one class loader; the JVM-wide state lives here. */
    private static final String URL_PROPERTY = "io.gatehouse.dev.jdbc-url";
    private static final String LOCK = "io.gatehouse.dev.lock".intern();

    @Override
    public Map<String, String> getProperties() {
        if (LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return Map.of();
        }
        synchronized (LOCK) {
            if (System.getProperty(URL_PROPERTY) == null) {
                System.setProperty(URL_PROPERTY, start());
            }
        }
        return Map.of(
                "quarkus.datasource.jdbc.url", System.getProperty(URL_PROPERTY),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres");
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String name) {
        return name.startsWith("quarkus.datasource.") ? getProperties().get(name) : null;
    }

    @Override
    public String getName() {
        return "gatehouse-embedded-postgres";
    }

    @Override
    public int getOrdinal() {
        // Below application.properties (250): an explicitly configured datasource wins.
        return 200;
    }

    private static String start() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(Path.of("target", "dev", "postgres"))
                    .setCleanDataDirectory(false)
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // The JVM is going away; nothing left to do.
                }
            }));
            return postgres.getJdbcUrl("postgres", "postgres");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded dev PostgreSQL", e);
        }
    }
}
