package io.loyaltylakehouse.reconciler;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.iceberg.CatalogSettings;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import io.loyaltylakehouse.iceberg.LoyaltyTables.TableDefinition;
import io.loyaltylakehouse.iceberg.TableProvisioner;
import io.loyaltylakehouse.reconciler.config.ReconcilerConfig;
import io.loyaltylakehouse.reconciler.maintenance.TableCompaction;
import io.loyaltylakehouse.reconciler.sink.LakehouseSinks;
import io.loyaltylakehouse.reconciler.source.KafkaInputs;
import io.loyaltylakehouse.reconciler.web.ReadOnlyRestGateway;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.RecoveryClaimMode;
import org.apache.flink.state.rocksdb.RocksDBOptions;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the reconciler: config -> tables -> Kafka inputs -> {@link ReconcilerPipeline} -> Iceberg sinks ->
 * execute, with table maintenance beside it. Started plainly ({@code java ... ReconcilerJob}) it runs on an
 * in-process MiniCluster with the web UI and REST API on {@code flink.web.port}; submitted with
 * {@code flink run} it runs on that cluster. Either way it resumes from the latest retained checkpoint.
 */
public final class ReconcilerJob {
    private static final Logger LOG = LoggerFactory.getLogger(ReconcilerJob.class);

    private ReconcilerJob() {}

    public static void main(final String[] args) throws Exception {
        final ReconcilerConfig config = ReconcilerConfig.load();
        final CatalogLoader catalog = catalogLoader(config.catalog());
        final List<TableIdentifier> tables = provisionTables(config);
        ensureTopic(config.kafkaClient(), config.deadLetterTopic());

        // Started by `flink run` the context environment targets that cluster; started plainly, a local one.
        final boolean local = StreamExecutionEnvironment.getExecutionEnvironment() instanceof LocalStreamEnvironment;
        final Configuration flinkConf = flinkConfiguration(config);
        if (local) {
            final int restPort = ReadOnlyRestGateway.privatePort(config.bindHost());
            asLocalCluster(flinkConf, config, restPort);
            final ReadOnlyRestGateway gateway = ReadOnlyRestGateway.start(
                    config.bindHost(),
                    config.webPort(),
                    URI.create("http://" + config.bindHost() + ":" + restPort + "/"));
            Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "flink-rest-gateway-shutdown"));
        }
        final StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConf);
        new ReconcilerPipeline(
                        new KafkaInputs(config),
                        new LakehouseSinks(catalog, config.namespace(), config.kafkaClient(), config.deadLetterTopic()),
                        config.outOfOrderness(),
                        config.idleness())
                .build(env);
        final JobClient job = env.executeAsync(config.jobName());
        LOG.info(
                "job '{}' {} started{}",
                config.jobName(),
                job.getJobID(),
                local ? " on the local MiniCluster, web UI http://127.0.0.1:" + config.webPort() : "");

        final TableCompaction maintenance = new TableCompaction(
                        tables.stream()
                                .map(id -> TableLoader.fromCatalog(catalog, id))
                                .toList(),
                        () -> local
                                ? StreamExecutionEnvironment.createLocalEnvironment(1, maintenanceConfiguration(config))
                                : StreamExecutionEnvironment.getExecutionEnvironment(),
                        config.snapshotRetention(),
                        config.retainLastSnapshots())
                .start(config.maintenanceInterval());
        Runtime.getRuntime().addShutdownHook(new Thread(maintenance::close, "reconciler-shutdown"));
        try {
            LOG.info(
                    "job '{}' finished: {}",
                    config.jobName(),
                    job.getJobExecutionResult().get().getJobID());
        } catch (final ExecutionException e) {
            LOG.error(
                    "job '{}' failed after its restart attempts: {}",
                    config.jobName(),
                    e.getCause().toString());
            throw e;
        } finally {
            maintenance.close();
        }
    }

    /**
     * Flink settings from the reconciler's config: object reuse, RocksDB state with incremental, exactly-once checkpoints
     * retained on cancel and crash, a
     * bounded restart strategy (checkpointing alone would restart forever), and where to resume:
     * {@code reconciler.restore.path} if given, else the latest retained checkpoint.
     */
    public static Configuration flinkConfiguration(final ReconcilerConfig config) {
        final Configuration conf = new Configuration();
        conf.set(PipelineOptions.NAME, config.jobName());
        conf.set(CoreOptions.DEFAULT_PARALLELISM, config.parallelism());
        // Chained operators hand records on without a defensive copy: every record between operators is an
        // immutable Java record or a row built fresh per element, and no function keeps its input past the call.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, config.checkpointInterval());
        conf.set(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE, CheckpointingMode.EXACTLY_ONCE);
        // one never-expiring record per business key: on local disk, and each checkpoint uploads only what changed
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                config.checkpointDir().toString());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, config.restartAttempts());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, config.restartDelay());
        restorePoint(config).ifPresent(restore -> {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restore.path());
            // Our own retained checkpoints are claimed (Flink deletes them once subsumed); a given savepoint is not.
            conf.set(
                    StateRecoveryOptions.RESTORE_MODE,
                    restore.claim() ? RecoveryClaimMode.CLAIM : RecoveryClaimMode.NO_CLAIM);
            LOG.info("resuming from {}", restore.path());
        });
        return conf;
    }

    /**
     * The in-process MiniCluster: slots for the job, RocksDB's working directory, and a read-only web UI and REST
     * API (the health endpoint). Everything listens on {@code reconciler.bind-host} (loopback by default). Flink's
     * REST endpoint takes a private port behind the {@link ReadOnlyRestGateway} on the public one; jar upload/run,
     * cancel and rescale are off too, and only the UI's own origin may call the API from a browser, so no web page
     * can drive it (CONTRACT 2). On a real cluster these are the cluster's own settings.
     */
    private static void asLocalCluster(final Configuration conf, final ReconcilerConfig config, final int restPort) {
        conf.set(RocksDBOptions.LOCAL_DIRECTORIES, config.stateDir().toString());
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.parallelism());
        localMemory(conf, config.localMemory());
        conf.set(RestOptions.BIND_ADDRESS, config.bindHost());
        conf.set(RestOptions.ADDRESS, config.bindHost());
        conf.set(RestOptions.BIND_PORT, String.valueOf(restPort));
        conf.set(RestOptions.PORT, restPort);
        conf.set(JobManagerOptions.BIND_HOST, config.bindHost());
        conf.set(JobManagerOptions.ADDRESS, config.bindHost());
        conf.set(TaskManagerOptions.BIND_HOST, config.bindHost());
        conf.set(TaskManagerOptions.HOST, config.bindHost());
        conf.set(WebOptions.SUBMIT_ENABLE, false);
        conf.set(WebOptions.CANCEL_ENABLE, false);
        conf.set(WebOptions.RESCALE_ENABLE, false);
        conf.set(WebOptions.ACCESS_CONTROL_ALLOW_ORIGIN, "http://" + config.bindHost() + ":" + config.webPort());
        // Flink's own Prometheus reporter: job, task and operator metrics (checkpoints, restarts, back-pressure,
        // busy time, Kafka source lag, Iceberg committer) on flink.metrics.port; a real cluster sets it in its conf.
        conf.setString(
                "metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        conf.setString(
                "metrics.reporter.prom.port",
                Settings.load(ReconcilerConfig.COMPONENT).require("flink.metrics.port"));
    }

    static Optional<RestorePoint> restorePoint(final ReconcilerConfig config) {
        if (config.restorePath().isPresent()) {
            return config.restorePath().map(path -> new RestorePoint(path, false));
        }
        if (!"file".equals(config.checkpointDir().getScheme())) {
            LOG.info(
                    "checkpoints in {}: resuming needs reconciler.restore.path (only local checkpoint dirs are searched)",
                    config.checkpointDir());
            return Optional.empty();
        }
        return CheckpointRestore.latestCheckpoint(Path.of(config.checkpointDir()))
                .map(Path::toUri)
                .map(uri -> new RestorePoint(uri.toString(), true));
    }

    /** A checkpoint or savepoint to start from; {@code claim} when it is one of the job's own checkpoints. */
    record RestorePoint(String path, boolean claim) {}

    private static Configuration maintenanceConfiguration(final ReconcilerConfig config) {
        final Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        localMemory(conf, config.localMemory());
        return conf;
    }

    /**
     * A MiniCluster otherwise takes 64 MB of network buffers and a 128 MB managed-memory budget (RocksDB) whatever the
     * job needs; both stay resident in the process, and the compaction's own MiniCluster took them again each run.
     */
    private static void localMemory(final Configuration conf, final ReconcilerConfig.LocalMemory memory) {
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, memory.network());
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, memory.network());
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, memory.managed());
    }

    public static CatalogLoader catalogLoader(final CatalogSettings catalog) {
        return CatalogLoader.custom(
                catalog.name(),
                catalog.catalogProperties(),
                new org.apache.hadoop.conf.Configuration(),
                CatalogSettings.JDBC_CATALOG_IMPL);
    }

    /** The contract's tables in the configured namespace, created if absent. */
    public static List<TableIdentifier> provisionTables(final ReconcilerConfig config) throws Exception {
        final List<TableDefinition> definitions = LoyaltyTables.ALL.stream()
                .map(table -> new TableDefinition(
                        TableIdentifier.of(config.namespace(), table.name()), table.schema(), table.partitioning()))
                .toList();
        try (var catalog = config.catalog().open()) {
            new TableProvisioner(catalog).provision(List.of(config.namespace()), definitions);
        }
        return definitions.stream().map(TableDefinition::identifier).toList();
    }

    /** Creates a topic if it does not exist yet (the dead-letter topic is the reconciler's own). */
    public static void ensureTopic(final Properties kafkaClient, final String topic) throws Exception {
        try (Admin admin = Admin.create(kafkaClient)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                // one partition, the broker's default replication factor
                admin.createTopics(Set.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                        .all()
                        .get();
                LOG.info("created topic {}", topic);
            }
        } catch (final ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }
}
