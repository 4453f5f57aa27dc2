package io.loyaltylakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each child of the launcher gets the secrets and the Kafka login it reads, and no other; each JVM gets the stack's
 * Java options.
 */
class ComponentsTest {
    @TempDir
    Path dataDir;

    /** What `make up` may inherit from a shell that overrides every secret, plus a Kafka login for a real cluster. */
    private static final Map<String, String> SHELL = Map.of(
            "PATH", "/usr/bin",
            "PG_PASSWORD_POSTGRES", "superuser-secret",
            "PG_PASSWORD_LOYALTY_CATALOG", "catalog-secret",
            "PG_PASSWORD_LOYALTY_CDC", "cdc-secret",
            "TRINO_PASSWORD_LOYALTY_ADMIN", "admin-secret",
            "TRINO_PASSWORD_DBT", "dbt-secret",
            "TRINO_INTERNAL_SHARED_SECRET", "trino-secret",
            "EDGE_FORWARDING_SECRET", "forwarding-secret");

    @Test
    void eachChildGetsOnlyTheSecretsItReads() {
        assertThat(secretsOf("kafka")).containsExactlyInAnyOrder(KAFKA_LOGIN);
        assertThat(secretsOf("postgres"))
                .containsExactlyInAnyOrder(
                        "PG_PASSWORD",
                        "PG_PASSWORD_POSTGRES",
                        "PG_PASSWORD_LOYALTY_CATALOG",
                        "PG_PASSWORD_LOYALTY_CDC");
        assertThat(secretsOf("trino")).isEmpty();
        assertThat(secretsOf("edge-streams")).containsExactlyInAnyOrder(with("EDGE_FORWARDING_SECRET"));
        assertThat(secretsOf("cdc-bridge")).containsExactlyInAnyOrder(with("PG_PASSWORD_LOYALTY_CDC"));
        assertThat(secretsOf("flink-reconciler")).containsExactlyInAnyOrder(with("PG_PASSWORD_LOYALTY_CATALOG"));
        assertThat(secretsOf("prometheus")).isEmpty();
        assertThat(secretsOf("postgres-exporter")).containsExactly("DATA_SOURCE_NAME");
        // dbt logs in to Trino as dbt; nothing else
        assertThat(secretsOf(Dagster.DAEMON)).containsExactly("TRINO_PASSWORD_DBT");
    }

    @Test
    void everyJavaChildStillGetsTheEndpointsAndThePath() {
        final Map<String, String> env = environmentOf("edge-streams");

        assertThat(env)
                .containsEntry("PATH", "/usr/bin")
                .containsEntry("KAFKA_BOOTSTRAP", "127.0.0.1:9092")
                .containsEntry("KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
                .containsEntry("PG_PORT", "5433")
                .containsEntry("DATA_DIR", dataDir.toString());
        assertThat(environmentOf("postgres")).doesNotContainKey("KAFKA_CLIENT_SECURITY_PROTOCOL");
    }

    @Test
    void everyJvmOfTheStackGetsTheStackJavaOptions() throws Exception {
        // a checkout in which local-stack looks built: its command is made only for a module with classes and classpath
        final Path repo = dataDir.resolve("repo");
        Files.createDirectories(repo.resolve("local-stack/target/classes"));
        Files.writeString(repo.resolve("local-stack/target/runtime.classpath"), "");
        final StackSettings quick = StackSettings.from(Settings.defaults("local-stack")
                .with(Map.of(
                        "stack.repo.dir", repo.toString(), "stack.java.options", " -XX:TieredStopAtLevel=1  -Da=b ")));
        final StackSettings none = StackSettings.from(Settings.defaults("local-stack")
                .with(Map.of("stack.repo.dir", repo.toString(), "stack.java.options", "")));

        assertThat(kafkaCommand(quick))
                .containsSubsequence("-XX:TieredStopAtLevel=1", "-Da=b", KafkaBroker.class.getName());
        assertThat(kafkaCommand(none)).doesNotContain("-XX:TieredStopAtLevel=1", "-Da=b", "");
        assertThat(StackSettings.from(Settings.defaults("local-stack")).javaOptions())
                .containsExactly("-XX:TieredStopAtLevel=1");
    }

    private static List<String> kafkaCommand(final StackSettings stack) {
        return Components.infrastructure(stack).stream()
                .filter(component -> component.name().equals("kafka"))
                .findFirst()
                .flatMap(Component::command)
                .orElseThrow(() -> new AssertionError("no command for kafka"));
    }

    private static final String[] KAFKA_LOGIN = {"KAFKA_CLIENT_SECURITY_PROTOCOL", "KAFKA_CLIENT_SASL_JAAS_CONFIG"};

    private static String[] with(final String secret) {
        return new String[] {KAFKA_LOGIN[0], KAFKA_LOGIN[1], secret};
    }

    /** The child's restricted variables that have a value (an empty setting holds nothing). */
    private Set<String> secretsOf(final String name) {
        return environmentOf(name).entrySet().stream()
                .filter(entry -> Components.restricted(entry.getKey())
                        && !entry.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    private Map<String, String> environmentOf(final String name) {
        final StackSettings stack = StackSettings.from(Settings.defaults("local-stack")
                .with(Map.of(
                        "data.dir",
                        dataDir.toString(),
                        "stack.repo.dir",
                        dataDir.toString(),
                        "kafka.client.security.protocol",
                        "SASL_PLAINTEXT",
                        "kafka.client.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required "
                                + "username=\"loyalty\" password=\"kafka-secret\";")));
        final Map<String, String> env = new HashMap<>(SHELL);
        Components.environmentOf(stack, name, env);
        return env;
    }
}
