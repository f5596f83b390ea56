package io.gatehouse.platform;

import io.gatehouse.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged application in the prod profile refuses to start without its secrets, saying why in
 * one line. It gets a real database, so the only thing missing is what each test leaves out.
 */
class StartupRefusalIT {

    private static final String KEY = "dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMtISE=";

    @Test
    void noMasterKey() throws Exception {
        String output = run(Map.of("GATEHOUSE_ADMIN_TOKEN", "a-long-enough-admin-token"));
        assertTrue(output.contains("Gatehouse cannot start: GATEHOUSE_MASTER_KEY (gatehouse.master-key) is not set"), output);
    }

    @Test
    void malformedMasterKey() throws Exception {
        String output = run(Map.of("GATEHOUSE_ADMIN_TOKEN", "a-long-enough-admin-token", "GATEHOUSE_MASTER_KEY", "c2hvcnQ="));
        assertTrue(output.contains("Gatehouse cannot start: GATEHOUSE_MASTER_KEY (gatehouse.master-key) must be base64 of exactly 32 bytes"), output);
    }

    @Test
    void noAdminToken() throws Exception {
        String output = run(Map.of("GATEHOUSE_MASTER_KEY", KEY));
        assertTrue(output.contains("Gatehouse cannot start: GATEHOUSE_ADMIN_TOKEN (gatehouse.admin-token) is not set"), output);
    }

    private static String run(Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile("gatehouse-startup", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=0", "-jar", Path.of("target", "quarkus-app", "quarkus-run.jar").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("GATEHOUSE_") || name.startsWith("QUARKUS_"));
        builder.environment().put("QUARKUS_DATASOURCE_JDBC_URL", PostgresResource.jdbcUrl());
        builder.environment().put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        builder.environment().put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the application started instead of refusing");
        }
        assertNotEquals(0, process.exitValue());
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
