package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.reconciler.ReconcilerJob;
import io.loyaltylakehouse.reconciler.ReconcilerPipeline;
import io.loyaltylakehouse.reconciler.ReconcilerPipeline.Input;
import io.loyaltylakehouse.reconciler.config.ReconcilerConfig;
import io.loyaltylakehouse.reconciler.functions.ParseOrDeadLetter;
import io.loyaltylakehouse.reconciler.functions.Reconciliation;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import io.loyaltylakehouse.reconciler.serde.Parsers;
import io.loyaltylakehouse.reconciler.sink.LakehouseSinks;
import io.loyaltylakehouse.reconciler.source.KafkaInputs;
import java.util.function.Consumer;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The two Flink jobs the flink-reconciler benchmark compares, built from the reconciler's own classes and run
 * in this JVM, each on a local MiniCluster of its own with the same settings: the reconciler pipeline exactly as
 * {@code ReconcilerJob} wires it, and the baseline, which reads the same topics with the same sources and parser
 * and writes each record straight to the same upsert sink, without keyed state.
 */
final class FlinkReconcilerBenchJobs {
    private FlinkReconcilerBenchJobs() {}

    static JobClient reconciler(final ReconcilerConfig config) throws Exception {
        return start(
                config,
                env -> new ReconcilerPipeline(
                                new KafkaInputs(config), sinks(config), config.outOfOrderness(), config.idleness())
                        .build(env));
    }

    /** Real-time entries and legacy changes, each mapped alone to its ledger row, upserted on business_key. */
    static JobClient baseline(final ReconcilerConfig config) throws Exception {
        return start(config, env -> {
            final KafkaInputs inputs = new KafkaInputs(config);
            final DataStream<LedgerRow> realtime = inputs.open(
                            env, Input.POINTS_LEDGER, WatermarkStrategy.noWatermarks())
                    .process(new ParseOrDeadLetter<>(Parsers::ledgerEntry, LedgerEntry.class))
                    .map(entry -> Reconciliation.decide(entry, null).row())
                    .returns(LedgerRow.class);
            final DataStream<LedgerRow> legacy = inputs.open(
                            env, Input.LEGACY_LEDGER_CHANGES, WatermarkStrategy.noWatermarks())
                    .process(new ParseOrDeadLetter<>(Parsers::legacyLedgerChange, LegacyLedgerChange.class))
                    .map(change -> Reconciliation.decide(null, change).row())
                    .returns(LedgerRow.class);
            sinks(config).ledger(realtime.union(legacy));
        });
    }

    private static LakehouseSinks sinks(final ReconcilerConfig config) {
        return new LakehouseSinks(
                ReconcilerJob.catalogLoader(config.catalog()),
                config.namespace(),
                config.kafkaClient(),
                config.deadLetterTopic());
    }

    private static JobClient start(final ReconcilerConfig config, final Consumer<StreamExecutionEnvironment> pipeline)
            throws Exception {
        final StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(flinkConfiguration(config));
        pipeline.accept(env);
        return env.executeAsync(config.jobName());
    }

    /**
     * The job's own configuration (exactly-once checkpoints, filesystem storage, RocksDB state) at the bench's
     * interval and parallelism; no restarts, so a failure ends the benchmark instead of skewing it; the REST
     * endpoint on a free port, so a running stack's web UI is not in the way.
     */
    static Configuration flinkConfiguration(final ReconcilerConfig config) {
        final Configuration conf = ReconcilerJob.flinkConfiguration(config);
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, config.parallelism());
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        return onLoopback(conf);
    }

    static Configuration onLoopback(final Configuration conf) {
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        conf.set(RestOptions.BIND_PORT, "0");
        return conf;
    }

    static void cancel(final JobClient job) {
        try {
            job.cancel().get();
        } catch (final Exception e) {
            // already finished or failed; the benchmark reports what it measured
        }
    }
}
