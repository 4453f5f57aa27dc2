package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.trino.TrinoLogin;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The monitoring parts of the stack (CONTRACT section 9, {@code monitoring/README.md}): Prometheus, Alertmanager and
 * the PostgreSQL exporter, Debian's binaries run as supervised processes like the Java components; the broker's JMX
 * exporter agent; and the configuration rendered from {@code monitoring/config} into {@code <data>/monitoring}.
 * A binary that is not installed leaves its part "not built" (run {@code monitoring/install-packages}).
 */
final class Monitoring {
    static final List<String> PARTS = List.of("prometheus", "alertmanager", "postgres-exporter");

    private Monitoring() {}

    static List<Component> components(final StackSettings stack, final List<String> wanted) {
        final List<Component> out = new ArrayList<>();
        if (wanted.contains("prometheus")) {
            out.add(new Component(
                    "prometheus",
                    url(stack, "prometheus.port"),
                    binary(stack, "prometheus.binary")
                            .map(binary -> List.of(
                                    binary,
                                    "--config.file=" + dataDir(stack).resolve("prometheus.yml"),
                                    "--storage.tsdb.path=" + stack.dataDir().resolve("prometheus"),
                                    "--storage.tsdb.retention.time="
                                            + stack.settings().require("prometheus.retention"),
                                    "--web.listen-address=127.0.0.1:" + port(stack, "prometheus.port"),
                                    "--web.console.templates="
                                            + monitoringDir(stack).resolve("consoles"),
                                    "--web.console.libraries="
                                            + stack.settings().require("prometheus.console.libraries"),
                                    "--web.enable-lifecycle")),
                    HealthChecks.http(url(stack, "prometheus.port") + "/-/ready", body -> true),
                    false));
        }
        if (wanted.contains("alertmanager")) {
            out.add(new Component(
                    "alertmanager",
                    url(stack, "alertmanager.port"),
                    binary(stack, "alertmanager.binary")
                            .map(binary -> List.of(
                                    binary,
                                    "--config.file=" + dataDir(stack).resolve("alertmanager.yml"),
                                    "--storage.path=" + stack.dataDir().resolve("alertmanager"),
                                    "--web.listen-address=127.0.0.1:" + port(stack, "alertmanager.port"),
                                    // a single local instance: no gossip port (its default 9094 is our web port)
                                    "--cluster.listen-address=")),
                    HealthChecks.http(url(stack, "alertmanager.port") + "/-/ready", body -> true),
                    false));
        }
        if (wanted.contains("postgres-exporter")) {
            out.add(new Component(
                    "postgres-exporter",
                    url(stack, "postgres.exporter.port"),
                    binary(stack, "postgres.exporter.binary")
                            .map(binary -> List.of(
                                    binary, "--web.listen-address=127.0.0.1:" + port(stack, "postgres.exporter.port"))),
                    HealthChecks.http(url(stack, "postgres.exporter.port") + "/metrics", body -> true),
                    false));
        }
        return out;
    }

    /** What the PostgreSQL exporter connects with (it reads the DSN from its environment only). */
    static Map<String, String> environment(final StackSettings stack) {
        return Map.of(
                "DATA_SOURCE_NAME",
                "postgresql://" + stack.pgUser() + ":" + stack.pgPassword() + "@" + stack.pgHost() + ":"
                        + stack.pgPort() + "/" + stack.legacyDatabase() + "?sslmode=disable");
    }

    /** {@code -javaagent:...} for the broker's JVM, when the JMX exporter agent was fetched by the build. */
    static Optional<String> kafkaAgent(final StackSettings stack) {
        final Path agent = stack.repoDir().resolve("local-stack/target/agents/jmx_prometheus_javaagent.jar");
        if (!Files.exists(agent)) {
            return Optional.empty();
        }
        return Optional.of("-javaagent:" + agent + "=127.0.0.1:" + port(stack, "kafka.metrics.port") + ":"
                + monitoringDir(stack).resolve("config/kafka-jmx.yml"));
    }

    /**
     * Renders {@code monitoring/config} into {@code <data>/monitoring} and lists the started application components
     * as Prometheus targets; done before each start so settings changes apply.
     */
    static void renderConfig(final StackSettings stack, final List<Component> applications) {
        final TrinoLogin trino = TrinoLogin.of(stack.settings(), "loyalty_admin");
        final Path data = dataDir(stack);
        final Map<String, String> values = new HashMap<>(stack.settings().asMap());
        values.put("monitoring.dir", monitoringDir(stack).toString());
        values.put("monitoring.data", data.toString());
        values.put("trino.scheme", trino.url().getScheme());
        values.put("trino.address", trino.url().getHost() + ":" + trino.url().getPort());
        values.put("trino.tls.config", trino.tls() ? "{ca_file: \"" + trino.trustedCertificate() + "\"}" : "{}");
        TrinoServer.render(monitoringDir(stack).resolve("config"), data, values);
        try {
            final Path password = data.resolve("trino-password");
            Files.deleteIfExists(password);
            Files.createFile(
                    password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(password, trino.password());
            final Path targets = data.resolve("targets");
            Files.createDirectories(targets);
            final List<Map<String, Object>> groups = new ArrayList<>();
            for (final Component component : applications) {
                if (Dagster.COMPONENTS.contains(component.name())) {
                    continue; // Dagster serves no Prometheus metrics; the supervisor reports its runs
                    // (DagsterRunMetrics)
                }
                groups.add(Map.of(
                        "targets",
                        List.of(metricsAddress(stack, component.name())),
                        "labels",
                        Map.of("job", component.name())));
            }
            Files.writeString(targets.resolve("applications.json"), Json.toJson(groups));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write the monitoring configuration into " + data, e);
        }
    }

    /** Where a component serves {@code /metrics}: its HTTP port, or Flink's reporter port for the reconciler. */
    private static String metricsAddress(final StackSettings stack, final String component) {
        return "127.0.0.1:"
                + switch (component) {
                    case "edge-streams" -> stack.edgeHttpPort();
                    case "cdc-bridge" -> stack.cdcHttpPort();
                    case "flink-reconciler" -> port(stack, "flink.metrics.port");
                    default -> throw new IllegalArgumentException("no metrics endpoint known for " + component);
                };
    }

    private static Optional<String> binary(final StackSettings stack, final String key) {
        final Path binary = Path.of(stack.settings().require(key));
        return Files.isExecutable(binary) ? Optional.of(binary.toString()) : Optional.empty();
    }

    static Path monitoringDir(final StackSettings stack) {
        return stack.repoDir().resolve("monitoring");
    }

    private static Path dataDir(final StackSettings stack) {
        return stack.dataDir().resolve("monitoring");
    }

    static int port(final StackSettings stack, final String key) {
        return stack.settings().requireInt(key);
    }

    static String url(final StackSettings stack, final String portKey) {
        return "http://127.0.0.1:" + port(stack, portKey);
    }
}
