package io.loyaltylakehouse.reconciler.config;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.topic.Topic;
import io.loyaltylakehouse.iceberg.CatalogSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.MemorySize;
import org.apache.iceberg.catalog.Namespace;

/**
 * The reconciler's settings, typed and checked once at startup. Source of every value:
 * {@code flink-reconciler.properties} and the shared defaults, overridden by environment variables and
 * system properties (see {@link Settings}).
 */
public record ReconcilerConfig(
        String jobName,
        int parallelism,
        Duration checkpointInterval,
        URI checkpointDir,
        Optional<String> restorePath,
        int restartAttempts,
        Duration restartDelay,
        Path stateDir,
        Duration outOfOrderness,
        Duration idleness,
        Duration maintenanceInterval,
        Duration snapshotRetention,
        int retainLastSnapshots,
        Namespace namespace,
        InputTopics topics,
        String deadLetterTopic,
        String kafkaBootstrap,
        Map<String, String> kafkaSecurity,
        String kafkaGroupId,
        StartingOffsets startingOffsets,
        int webPort,
        String bindHost,
        LocalMemory localMemory,
        CatalogSettings catalog) {

    public static final String COMPONENT = "flink-reconciler";

    /** Where a fresh consumer group starts reading; a restored checkpoint's offsets always win. */
    public enum StartingOffsets {
        COMMITTED,
        EARLIEST,
        LATEST
    }

    /** The local MiniClusters' network buffers and managed memory (RocksDB); a real cluster sizes its own. */
    public record LocalMemory(MemorySize network, MemorySize managed) {}

    /** The five input topics: the contract's messages and serdes ({@link Topics}) under the configured names. */
    public record InputTopics(
            Topic<String, LedgerEntry> pointsLedger,
            Topic<String, LegacyLedgerChange> legacyLedgerChanges,
            Topic<String, LegacyMember> legacyMembers,
            Topic<String, FraudAlert> fraudAlerts,
            Topic<String, LateEvent> lateEvents) {}

    public static ReconcilerConfig load() {
        return from(Settings.load(COMPONENT));
    }

    public static ReconcilerConfig from(final Settings settings) {
        final String checkpointDir = settings.get("reconciler.checkpoint.dir", "");
        final String restorePath = settings.get("reconciler.restore.path", "");
        final String stateDir = settings.get("reconciler.state.dir", "");
        final ReconcilerConfig config = new ReconcilerConfig(
                settings.require("reconciler.job.name"),
                settings.requireInt("reconciler.parallelism"),
                settings.requireDuration("reconciler.checkpoint.interval"),
                checkpointUri(
                        checkpointDir.isEmpty()
                                ? Path.of(settings.require("data.dir"), "flink", "checkpoints")
                                        .toString()
                                : checkpointDir),
                restorePath.isEmpty() ? Optional.empty() : Optional.of(restorePath),
                settings.requireInt("reconciler.restart.attempts"),
                settings.requireDuration("reconciler.restart.delay"),
                Path.of(
                                stateDir.isEmpty()
                                        ? Path.of(settings.require("data.dir"), "flink", "rocksdb")
                                                .toString()
                                        : stateDir)
                        .toAbsolutePath()
                        .normalize(),
                settings.requireDuration("reconciler.watermark.out-of-orderness"),
                settings.requireDuration("reconciler.watermark.idleness"),
                settings.requireDuration("reconciler.maintenance.interval"),
                settings.requireDuration("reconciler.maintenance.snapshot-retention"),
                settings.requireInt("reconciler.maintenance.retain-last"),
                Namespace.of(settings.require("reconciler.namespace")),
                new InputTopics(
                        Topics.POINTS_LEDGER.configured(settings, "reconciler.topic.points-ledger"),
                        Topics.LEGACY_LEDGER_CHANGES.configured(settings, "reconciler.topic.legacy-ledger-changes"),
                        Topics.LEGACY_MEMBERS.configured(settings, "reconciler.topic.legacy-members"),
                        Topics.FRAUD_ALERTS.configured(settings, "reconciler.topic.fraud-alerts"),
                        Topics.LATE_EVENTS.configured(settings, "reconciler.topic.late-events")),
                settings.require("reconciler.topic.dead-letters"),
                settings.require("kafka.bootstrap"),
                KafkaClients.security(settings),
                settings.require("reconciler.kafka.group-id"),
                parseStartingOffsets(settings.require("reconciler.kafka.starting-offsets")),
                settings.requireInt("flink.web.port"),
                settings.require("reconciler.bind-host"),
                new LocalMemory(
                        MemorySize.parse(settings.require("reconciler.local.network-memory")),
                        MemorySize.parse(settings.require("reconciler.local.managed-memory"))),
                CatalogSettings.from(settings));
        config.check();
        return config;
    }

    /** {@code bootstrap.servers} and the {@code kafka.client.*} security: what every Kafka client of the job gets. */
    public Properties kafkaClient() {
        final Properties client = new Properties();
        client.putAll(kafkaSecurity);
        client.setProperty("bootstrap.servers", kafkaBootstrap);
        return client;
    }

    private void check() {
        if (parallelism < 1) {
            throw new IllegalStateException(COMPONENT + ": reconciler.parallelism must be >= 1, was " + parallelism);
        }
        if (checkpointInterval.toMillis() < 10) {
            throw new IllegalStateException(
                    COMPONENT + ": reconciler.checkpoint.interval must be >= 10ms, was " + checkpointInterval);
        }
        if (retainLastSnapshots < 1) {
            throw new IllegalStateException(
                    COMPONENT + ": reconciler.maintenance.retain-last must be >= 1, was " + retainLastSnapshots);
        }
    }

    /** A URI as given ({@code s3://...}, {@code file:/...}), or a local path made absolute. */
    static URI checkpointUri(final String value) {
        return value.contains(":/")
                ? URI.create(value)
                : Path.of(value).toAbsolutePath().normalize().toUri();
    }

    private static StartingOffsets parseStartingOffsets(final String value) {
        try {
            return StartingOffsets.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (final IllegalArgumentException e) {
            throw new IllegalStateException(
                    COMPONENT + ": reconciler.kafka.starting-offsets must be committed, " + "earliest or latest, was '"
                            + value + "'",
                    e);
        }
    }
}
