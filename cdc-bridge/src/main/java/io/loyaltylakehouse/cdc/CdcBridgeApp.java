package io.loyaltylakehouse.cdc;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Json;
import io.loyaltylakehouse.cdc.config.CdcBridgeConfig;
import io.loyaltylakehouse.cdc.handler.ChangeBatchHandler;
import io.loyaltylakehouse.cdc.legacy.LegacyDatabase;
import io.loyaltylakehouse.cdc.legacy.LegacyTables;
import io.loyaltylakehouse.cdc.mapping.ChangeEventMapper;
import io.loyaltylakehouse.cdc.mapping.MemberDirectory;
import io.loyaltylakehouse.cdc.ops.BridgeMetrics;
import io.loyaltylakehouse.cdc.ops.SlotLagMonitor;
import io.loyaltylakehouse.cdc.publish.KafkaPublisher;
import io.loyaltylakehouse.cdc.publish.Publisher;
import io.loyaltylakehouse.cdc.publish.TopicProvisioner;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.ops.OpsServer;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cdc-bridge: runs the Debezium engine on the legacy database and publishes normalized changes to Kafka.
 * {@link #run()} keeps an engine running until {@link #stop()}: when an engine stops on an error (Kafka
 * unreachable past the producer's timeout, a mapping lookup failing) a new one starts after a backoff from the
 * stored offsets. PostgreSQL connection losses are retried inside the engine (Debezium's retriable restarts).
 */
public final class CdcBridgeApp implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CdcBridgeApp.class);

    private final CdcBridgeConfig config;
    private final Publisher publisher;
    private final BridgeMetrics metrics;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final Object engineLock = new Object();
    private DebeziumEngine<ChangeEvent<String, String>> engine;
    private volatile boolean engineRunning;
    private volatile String lastError = "";

    public CdcBridgeApp(final CdcBridgeConfig config, final Publisher publisher, final BridgeMetrics metrics) {
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public static void main(final String[] args) throws Exception {
        final CdcBridgeConfig config = CdcBridgeConfig.from(Settings.load("cdc-bridge"));
        final BridgeMetrics metrics = new BridgeMetrics(Clock.systemUTC());
        final KafkaPublisher publisher =
                new KafkaPublisher(config.producerProperties(), Topics.LEGACY_DLQ.named(config.deadLetterTopic()));
        final CdcBridgeApp app = new CdcBridgeApp(config, publisher, metrics);
        final SlotLagMonitor lagMonitor =
                new SlotLagMonitor(app.newDatabase(), config.slotName(), metrics).start(config.lagPollInterval());
        final OpsServer ops =
                new OpsServer(config.httpHost(), config.httpPort(), app::health, metrics.registry()).start();
        final ExecutorService executor =
                Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "cdc-engine"));
        executor.execute(app);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("Stopping the cdc-bridge");
                            app.stop();
                            executor.shutdown();
                            try {
                                while (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                                    LOG.info("Waiting for the Debezium engine to stop");
                                }
                            } catch (final InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            lagMonitor.close();
                            ops.close();
                            publisher.close(); // last: the engine may still have been publishing until it stopped
                            LOG.info("cdc-bridge stopped");
                        },
                        "cdc-shutdown"));
    }

    @Override
    public void run() {
        while (stopRequested.getCount() > 0) {
            runEngineUntilItStops();
            if (stopRequested.getCount() == 0) {
                break;
            }
            metrics.engineRestarted();
            LOG.error(
                    "cdc-bridge stopped streaming ({}); starting again from the stored offsets in {}",
                    lastError,
                    config.restartBackoff());
            try {
                stopRequested.await(config.restartBackoff().toMillis(), TimeUnit.MILLISECONDS);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Closes the running engine (which flushes the offsets of what was published) and ends {@link #run()}. */
    public void stop() {
        stopRequested.countDown();
        synchronized (engineLock) {
            if (engine != null) {
                try {
                    engine.close();
                } catch (final IOException e) {
                    LOG.warn("Closing the Debezium engine failed: {}", e.toString());
                }
            }
        }
    }

    /**
     * {@code /health}: up while an engine runs, DEGRADED (still up: a restart would not help a stuck slot, a person
     * must look) when it delivers nothing while the slot's lag grows; the body also gives snapshot state and lag.
     */
    public OpsServer.Health health() {
        final Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", !engineRunning ? "DOWN" : metrics.stalled(config.stallAfter()) ? "DEGRADED" : "UP");
        body.put("snapshot", metrics.snapshot().name().toLowerCase(java.util.Locale.ROOT));
        body.put("slot", config.slotName());
        body.put("slot_lag_bytes", Double.isNaN(metrics.slotLagBytes()) ? null : (long) metrics.slotLagBytes());
        body.put("lag_seconds", metrics.lagSeconds());
        body.put("last_error", lastError.isEmpty() ? null : lastError);
        return new OpsServer.Health(engineRunning, io.loyaltylakehouse.common.json.Json.toJson(body));
    }

    private void runEngineUntilItStops() {
        try (LegacyDatabase database = newDatabase()) {
            // both checks run again on every restart, so a broker or database that was down at start is waited for
            TopicProvisioner.ensure(
                    config.kafkaClient(),
                    Map.of(
                            config.ledgerChangesTopic(), Topics.LEGACY_LEDGER_CHANGES.name(),
                            config.membersTopic(), Topics.LEGACY_MEMBERS.name(),
                            config.deadLetterTopic(), Topics.LEGACY_DLQ.name()));
            database.prepare(LegacyTables.CAPTURED, config.heartbeatTable());
            Files.createDirectories(config.offsetsFile().getParent());
            // a fresh member cache per engine: a restart replays changes from the stored offset in order
            final MemberDirectory members = new MemberDirectory(config.memberCacheSize(), database::userIdOf);
            final ChangeEventMapper mapper = new ChangeEventMapper(
                    ChangeEventMapper.OutputTopics.named(
                            config.ledgerChangesTopic(), config.membersTopic(), config.deadLetterTopic()),
                    members,
                    config.pointsMaxAbs(),
                    config.heartbeatTopicPrefix(),
                    config.heartbeatTable(),
                    Clock.systemUTC());
            final ChangeBatchHandler handler =
                    new ChangeBatchHandler(mapper, publisher, database::transactionsOf, metrics);
            final DebeziumEngine<ChangeEvent<String, String>> built = DebeziumEngine.create(Json.class)
                    .using(config.debeziumProperties())
                    .notifying(handler)
                    .using(this::engineCompleted)
                    .using(new DebeziumEngine.ConnectorCallback() {
                        @Override
                        public void pollingStarted() {
                            engineRunning = true;
                            lastError = "";
                            LOG.info(
                                    "Streaming legacy changes from slot {} (offsets in {})",
                                    config.slotName(),
                                    config.offsetsFile());
                        }

                        @Override
                        public void pollingStopped() {
                            engineRunning = false;
                        }
                    })
                    .build();
            synchronized (engineLock) {
                if (stopRequested.getCount() == 0) {
                    return;
                }
                engine = built;
            }
            built.run();
        } catch (final IOException | RuntimeException e) {
            lastError = describe(e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            stopRequested.countDown();
        } finally {
            engineRunning = false;
            synchronized (engineLock) {
                engine = null;
            }
        }
    }

    private void engineCompleted(final boolean success, final String message, final Throwable error) {
        if (!success) {
            lastError = message + (error == null ? "" : ": " + describe(error));
            LOG.debug("Debezium engine failed", error);
        }
    }

    /** One line for the log and /health: the exception and its causes. */
    static String describe(final Throwable error) {
        final StringBuilder text = new StringBuilder(error.toString());
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            text.append(" <- ").append(cause);
        }
        return text.toString();
    }

    private LegacyDatabase newDatabase() {
        return new LegacyDatabase(config.jdbcUrl(), config.pgUser(), config.pgPassword());
    }
}
