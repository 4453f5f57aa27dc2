package io.loyaltylakehouse.edge;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.common.ops.OpsServer;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.errors.DeadLetterExceptionHandler;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import io.loyaltylakehouse.edge.ops.AccountTotals;
import io.loyaltylakehouse.edge.ops.ApiAccess;
import io.loyaltylakehouse.edge.ops.BalanceApi;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.ops.KafkaStreamsMetrics;
import io.loyaltylakehouse.edge.processor.PromotionsApplied;
import io.loyaltylakehouse.edge.topology.PointsAccrualTopology;
import io.loyaltylakehouse.edge.topology.PromotionDeadLetterTopology;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * edge-streams: the points pipeline plus its HTTP endpoints (balance API, /health, /metrics). Runs against any
 * Kafka cluster by configuration; start more instances with the same application id to scale out.
 */
public final class EdgeStreamsApp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeStreamsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final OpsServer ops;
    private final KafkaStreams accrual;
    private final KafkaStreams promotionDeadLetters;

    EdgeStreamsApp(final EdgeStreamsConfig config, final ApiAccess access) throws IOException {
        final Metrics metrics = new Metrics("edge_");
        final EdgeCounters counters = new EdgeCounters(metrics, config.topics().inputs());
        ops = new OpsServer(config.httpHost(), config.httpPort(), this::health, metrics);
        final Properties accrualProps = config.streamsProperties(ops.port());
        final DeadLetterLimits limits = DeadLetterLimits.read(
                accrualProps,
                config.producerMaxRequestSize(),
                config.topics().inputs().stream().map(Topics::deadLetterOf).toList());
        final Properties promotionProps = config.promotionDeadLetterProperties(ops.port());
        for (final Properties props : List.of(accrualProps, promotionProps)) {
            props.put(DeadLetterExceptionHandler.COUNTERS_CONFIG, counters);
            props.put(DeadLetterExceptionHandler.LIMITS_CONFIG, limits);
        }
        final PromotionsApplied promotionsApplied = new PromotionsApplied();
        accrual = new KafkaStreams(
                PointsAccrualTopology.build(config, counters, limits, promotionsApplied), accrualProps);
        promotionDeadLetters =
                new KafkaStreams(PromotionDeadLetterTopology.build(config, counters, limits), promotionProps);
        metrics.register(new KafkaStreamsMetrics(List.of(accrual, promotionDeadLetters)));
        new AccountTotals(accrual, Clock.systemUTC()).register(metrics);
        ops.route(
                "/users/", new BalanceApi(accrual, new HostInfo(config.advertisedHost(), ops.port()), access)::handle);
        ops.route(
                "/promotions/applied",
                exchange ->
                        OpsServer.Response.json(200, Json.toJson(Map.of("promotions", promotionsApplied.positions()))));
        supervise("points-accrual", accrual);
        supervise("promotion-dead-letters", promotionDeadLetters);
    }

    public static void main(final String[] args) throws IOException {
        final Settings settings = Settings.load(EdgeStreamsConfig.COMPONENT);
        final EdgeStreamsApp app = new EdgeStreamsApp(EdgeStreamsConfig.from(settings), ApiAccess.from(settings));
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "edge-streams-shutdown"));
        app.start();
    }

    /**
     * Bad input never reaches the handler (it is dead-lettered); what does is a bug or a broken cluster: stop the
     * process so its supervisor sees it, and exactly-once resumes from the last commit on restart.
     */
    private static void supervise(final String name, final KafkaStreams client) {
        client.setUncaughtExceptionHandler(exception -> {
            LOG.error("{} stopping after an unrecoverable error", name, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        client.setStateListener((now, before) -> {
            LOG.info("{}: {} -> {}", name, before, now);
            if (now == State.ERROR) {
                new Thread(() -> System.exit(1), "edge-streams-exit").start();
            }
        });
    }

    void start() {
        accrual.start();
        promotionDeadLetters.start();
        ops.start();
    }

    @Override
    public void close() {
        ops.close();
        accrual.close(CLOSE_TIMEOUT);
        promotionDeadLetters.close(CLOSE_TIMEOUT);
        LOG.info("edge-streams stopped");
    }

    /** Healthy while both Kafka Streams clients are RUNNING or REBALANCING. */
    private OpsServer.Health health() {
        final State points = accrual.state();
        final State promotions = promotionDeadLetters.state();
        final boolean healthy = points.isRunningOrRebalancing() && promotions.isRunningOrRebalancing();
        return new OpsServer.Health(
                healthy,
                Json.toJson(Map.of(
                        "status",
                        healthy ? "UP" : "DOWN",
                        "points_accrual",
                        points.name(),
                        "promotion_dead_letters",
                        promotions.name())));
    }
}
