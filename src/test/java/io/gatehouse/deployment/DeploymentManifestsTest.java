package io.gatehouse.deployment;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Everything under deployment/ renders with kustomize ({@code kubectl kustomize}), validates against
 * the Kubernetes 1.3x schemas (and Traefik's and Istio's CRDs) of kubernetes-models from npm, and the
 * nginx sidecar's configuration passes {@code nginx -t}.
 */
class DeploymentManifestsTest {

    private static final List<String> KUSTOMIZATIONS = List.of("base", "overlays/dev", "overlays/prod",
            "examples/ingress-nginx", "examples/traefik", "examples/istio", "examples/nginx-sidecar");
    private static final Path WORK = Path.of("target", "k8s");

    @BeforeAll
    static void installValidator() throws Exception {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "validate.mjs")) {
            Files.copy(Path.of("src", "test", "k8s", file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(WORK.resolve("node_modules").resolve("kubernetes-models"))) {
            Run npm = run(WORK, "npm", "ci", "--no-audit", "--no-fund");
            assertEquals(0, npm.exit, npm.output);
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(Path dir, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile(WORK.toAbsolutePath(), "run", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), String.join(" ", command) + " did not finish");
        return new Run(process.exitValue(), Files.readString(log));
    }

    private static Path render(String kustomization) throws Exception {
        Run kustomize = run(Path.of("."), "kubectl", "kustomize", "deployment/" + kustomization);
        assertEquals(0, kustomize.exit, "kubectl kustomize deployment/" + kustomization + ":\n" + kustomize.output);
        Path out = WORK.resolve(kustomization.replace('/', '-') + ".yaml").toAbsolutePath();
        Files.writeString(out, kustomize.output);
        return out;
    }

    @Test
    void everyKustomizationRendersAndValidates() throws Exception {
        List<String> args = new ArrayList<>(List.of("node", "validate.mjs"));
        for (String kustomization : KUSTOMIZATIONS) {
            args.add(render(kustomization).toString());
        }
        Run validation = run(WORK, args.toArray(String[]::new));
        assertEquals(0, validation.exit, validation.output);
        assertTrue(validation.output.contains("ok   " + WORK.resolve("overlays-prod.yaml").toAbsolutePath() + ": Deployment/gatehouse"),
                validation.output);
        assertTrue(validation.output.contains("Middleware/gatehouse") && validation.output.contains("AuthorizationPolicy/whoami-gatehouse"),
                "the CRDs were validated too");
        System.out.println(validation.output);
    }

    @Test
    void theValidatorRefusesWhatKubernetesWouldRefuse() throws Exception {
        Path bad = WORK.resolve("bad.yaml").toAbsolutePath();
        Files.writeString(bad, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: bad-replicas}
                spec:
                  replicas: three
                  selector: {matchLabels: {a: b}}
                  template: {metadata: {labels: {a: b}}, spec: {containers: [{name: x, image: y}]}}
                ---
                apiVersion: policy/v1
                kind: PodDisruptionBudget
                metadata: {name: bad-budget}
                spec: {minAvailable: [1]}
                ---
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: unknown-kind}
                """);
        Run validation = run(WORK, "node", "validate.mjs", bad.toString());
        assertEquals(1, validation.exit, validation.output);
        assertEquals(3, validation.output.lines().filter(l -> l.startsWith("FAIL")).count(), validation.output);
    }

    @Test
    void theProdOverlayKeepsTheHardening() throws Exception {
        String prod = Files.readString(render("overlays/prod"));
        for (String expected : List.of("readOnlyRootFilesystem: true", "runAsNonRoot: true", "allowPrivilegeEscalation: false",
                "- ALL", "path: /q/health/ready", "path: /q/health/live", "path: /q/health/started", "name: gatehouse-pg-app",
                "kind: PodDisruptionBudget", "kind: HorizontalPodAutoscaler", "kind: NetworkPolicy", "replicas: 3")) {
            assertTrue(prod.contains(expected), "prod has " + expected);
        }
        assertTrue(!prod.contains("kind: Secret"), "prod commits no Secret: they exist in the cluster");
    }

    @Test
    void theSidecarNginxConfigurationPassesNginxTest() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx is not installed: apt-get install -y nginx-light");
        Path dir = WORK.resolve("nginx").toAbsolutePath();
        Files.createDirectories(dir);
        // What the nginx image's entrypoint does at start: substitute ${NGINX_LOCAL_RESOLVERS} only.
        String template = Files.readString(Path.of("deployment", "examples", "nginx-sidecar", "default.conf.template"));
        Files.writeString(dir.resolve("default.conf"), template.replace("${NGINX_LOCAL_RESOLVERS}", "127.0.0.1"));
        Files.writeString(dir.resolve("nginx.conf"), """
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 64; }
                http {
                    client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                    include %1$s/default.conf;
                }
                """.formatted(dir));
        Run test = run(dir, "/usr/sbin/nginx", "-t", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString());
        assertEquals(0, test.exit, test.output);
        assertTrue(test.output.contains("test is successful"), test.output);
    }
}
