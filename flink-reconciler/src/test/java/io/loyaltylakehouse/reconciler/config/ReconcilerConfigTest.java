package io.loyaltylakehouse.reconciler.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.model.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.flink.configuration.MemorySize;
import org.junit.jupiter.api.Test;

class ReconcilerConfigTest {

    @Test
    void theDocumentedDefaults() {
        final ReconcilerConfig config = ReconcilerConfig.from(defaults());

        assertThat(config.jobName()).isEqualTo("loyalty-ledger-reconciler");
        assertThat(config.parallelism()).isEqualTo(2);
        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.checkpointDir()).hasScheme("file");
        assertThat(config.checkpointDir().getPath()).matches(".*/\\.data/flink/checkpoints/?");
        assertThat(config.restorePath()).isEmpty();
        assertThat(config.stateDir().toString()).matches(".*/\\.data/flink/rocksdb");
        assertThat(config.topics())
                .isEqualTo(new ReconcilerConfig.InputTopics(
                        Topics.POINTS_LEDGER,
                        Topics.LEGACY_LEDGER_CHANGES,
                        Topics.LEGACY_MEMBERS,
                        Topics.FRAUD_ALERTS,
                        Topics.LATE_EVENTS));
        assertThat(config.deadLetterTopic()).isEqualTo("reconciler.dlq");
        assertThat(config.startingOffsets()).isEqualTo(ReconcilerConfig.StartingOffsets.COMMITTED);
        assertThat(config.namespace().toString()).isEqualTo("loyalty");
        assertThat(config.webPort()).isEqualTo(8081);
        assertThat(config.localMemory())
                .isEqualTo(new ReconcilerConfig.LocalMemory(MemorySize.parse("32m"), MemorySize.parse("64m")));
        assertThat(config.catalog().name()).isEqualTo("loyalty");
    }

    @Test
    void everyKeyCanBeOverridden() {
        final ReconcilerConfig config = ReconcilerConfig.from(defaults()
                .with(Map.of(
                        "reconciler.checkpoint.interval", "2s",
                        "reconciler.checkpoint.dir", "/tmp/ck",
                        "reconciler.restore.path", "file:/tmp/sp-1",
                        "reconciler.topic.points-ledger", "it_points",
                        "reconciler.kafka.starting-offsets", "earliest",
                        "reconciler.namespace", "it_abc")));

        assertThat(config.checkpointInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.checkpointDir()).hasScheme("file");
        assertThat(config.checkpointDir().getPath()).matches("/tmp/ck/?");
        assertThat(config.restorePath()).contains("file:/tmp/sp-1");
        assertThat(config.topics().pointsLedger()).isEqualTo(Topics.POINTS_LEDGER.named("it_points"));
        assertThat(config.startingOffsets()).isEqualTo(ReconcilerConfig.StartingOffsets.EARLIEST);
        assertThat(config.namespace().toString()).isEqualTo("it_abc");
    }

    @Test
    void aCheckpointDirMayBeARemoteUri() {
        final ReconcilerConfig config = ReconcilerConfig.from(
                defaults().with(Map.of("reconciler.checkpoint.dir", "s3://lakehouse/flink/checkpoints")));

        assertThat(config.checkpointDir()).hasScheme("s3").hasPath("/flink/checkpoints");
    }

    @Test
    void anUnknownStartingOffsetIsNamed() {
        assertThatThrownBy(() ->
                        ReconcilerConfig.from(defaults().with(Map.of("reconciler.kafka.starting-offsets", "oldest"))))
                .hasMessageContaining(
                        "reconciler.kafka.starting-offsets must be committed, earliest or latest, was 'oldest'");
    }

    /** The two defaults files only, so the test does not see a developer's or the test stack's environment. */
    private static Settings defaults() {
        final Map<String, String> values = new TreeMap<>();
        for (final String file : new String[] {"loyalty-defaults.properties", "flink-reconciler.properties"}) {
            try (InputStream in = ReconcilerConfigTest.class.getClassLoader().getResourceAsStream(file)) {
                final Properties properties = new Properties();
                properties.load(in);
                properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Settings.of(ReconcilerConfig.COMPONENT, values);
    }
}
