package io.loyaltylakehouse.load;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.load.kafka.ConsumerGroupBarrier;
import io.loyaltylakehouse.load.kafka.KafkaEventSink;
import io.loyaltylakehouse.load.kafka.TopicSurvey;
import io.loyaltylakehouse.load.legacy.JdbcLegacyWriter;
import io.loyaltylakehouse.load.legacy.LegacyOp;
import io.loyaltylakehouse.load.oracle.GroundTruthOracle;
import io.loyaltylakehouse.load.oracle.Rules;
import io.loyaltylakehouse.load.oracle.TopicLayout;
import io.loyaltylakehouse.load.oracle.Truth;
import io.loyaltylakehouse.load.traffic.TrafficMix;
import io.loyaltylakehouse.load.traffic.TrafficPlan;
import io.loyaltylakehouse.load.traffic.TrafficPlanner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code make load}: sends generated purchases, redemptions and promotions to Kafka and plays the legacy
 * application on its PostgreSQL database, then writes the ground truth of everything it sent.
 */
public final class LoadGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(LoadGenerator.class);
    private static final String COMPONENT = "load-generator";

    private LoadGenerator() {}

    public static void main(final String[] args) {
        try {
            run(Settings.load(COMPONENT), args);
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (final Exception e) {
            LOG.error("load run failed: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    /** One run with the given settings and options; returns the truth it wrote. */
    public static Truth run(final Settings base, final String... args) throws IOException, InterruptedException {
        return run(base, planned -> {}, args);
    }

    /** The same, telling {@code progress} how many events were planned and handed on so far, after each one. */
    public static Truth run(final Settings base, final LongConsumer progress, final String... args)
            throws IOException, InterruptedException {
        final LoadOptions options = LoadOptions.parse(base, args);
        final Settings settings = options.settings();
        final Map<String, Object> kafka = KafkaClients.config(settings);
        final String purchases = settings.require("load.topic.purchases");
        final String redemptions = settings.require("load.topic.redemptions");
        final String promotions = settings.require("load.topic.promotions");
        final boolean touchesKafka = !options.dryRun() && options.realtime();
        final boolean touchesLegacy = !options.dryRun() && options.legacy();

        final Rules rules = rulesOf(settings);
        final TopicSurvey.Result survey = touchesKafka
                ? TopicSurvey.survey(kafka, purchases, redemptions, promotions, rules.streamTimeMaxLead())
                : new TopicSurvey.Result(settings.requireInt("load.topic.partitions"), Map.of(), Map.of());
        final long events = settings.requireLong("events");
        final String configuredStart = settings.get("load.start", "");
        final Timeline timeline = Timeline.of(
                Instant.now(),
                survey.latestEventTime(),
                configuredStart.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(configuredStart)),
                events,
                settings.requireDuration("load.spacing"),
                settings.requireDuration("load.max-ahead"),
                settings.requireDuration("load.max-span"));
        final Instant start = timeline.start();
        final Duration wait = Duration.between(Instant.now(), timeline.notBefore());
        if (!wait.isNegative() && !options.dryRun()) {
            LOG.info(
                    "earlier runs' events reach past now: waiting {} s for the wall clock to catch up",
                    wait.toSeconds());
            Thread.sleep(wait.toMillis());
        }
        final String runId = settings.get("load.run-id", Long.toString(start.getEpochSecond(), 36));
        final long seed = settings.requireLong("seed");

        final GroundTruthOracle oracle =
                new GroundTruthOracle(rules, new TopicLayout(purchases, redemptions, promotions, survey.partitions()));
        survey.promotions().forEach(oracle::preexistingPromotion);

        final String legacyDatabase = settings.require("pg.legacy.database");
        final LegacyWriter legacy = touchesLegacy ? openLegacy(settings, legacyDatabase) : new NoLegacyWriter();
        final JdbcLegacyWriter.IdBases ids =
                legacy instanceof JdbcLegacyWriter jdbc ? jdbc.idBases() : new JdbcLegacyWriter.IdBases(1, 1);
        final int users = settings.requireInt("load.users");
        final TrafficPlan plan = new TrafficPlan(
                seed,
                events,
                runId,
                start,
                timeline.spacing(),
                users > 0 ? users : TrafficPlan.defaultUsers(events),
                Double.parseDouble(settings.require("load.zipf-exponent")),
                settings.requireInt("load.stores"),
                options.realtime(),
                options.legacy(),
                ids.memberId(),
                ids.txnId(),
                TrafficMix.from(settings),
                timeline.endsNearNow(Instant.now(), events));
        final TrafficPlanner planner = new TrafficPlanner(plan, oracle);
        final Path truthFile = Path.of(settings.get(
                "truth",
                Path.of(settings.require("data.dir"), "load", "truth-" + seed + ".json")
                        .toString()));

        LOG.info(
                "load run {}: {} events, seed {}, rate {}, {}{}, event time from {} every ~{} ms",
                runId,
                events,
                seed,
                settings.require("rate"),
                options.realtime() ? "real-time" : "",
                options.legacy() ? (options.realtime() ? " + legacy" : "legacy") : "",
                start,
                timeline.spacing().toMillis());
        final long startedAt = System.nanoTime();
        boolean complete = false;
        Truth truth = null;
        final String group = settings.get("load.order.consumer-group", "");
        final OrderingBarrier barrier = touchesKafka && !group.isEmpty()
                ? ConsumerGroupBarrier.ifConsuming(
                        kafka, group, purchases, settings.requireDuration("load.order.timeout"))
                : OrderingBarrier.NONE;
        final String edgeHost = settings.get("load.order.edge-host", "");
        final OrderingBarrier promotionsApplied = touchesKafka && !edgeHost.isEmpty()
                ? PromotionsAppliedBarrier.ifRunning(
                        "http://" + edgeHost + ":" + settings.require("edge.http.port"),
                        settings.requireDuration("load.order.timeout"))
                : OrderingBarrier.NONE;
        try (EventSink sink = touchesKafka
                        ? new KafkaEventSink(kafka, settings.withPrefix("load.producer"))
                        : new NoEventSink();
                legacy;
                barrier;
                promotionsApplied) {
            final double rate = options.dryRun() ? 0 : Double.parseDouble(settings.require("rate"));
            final OrderedSends sends = new OrderedSends(
                    sink,
                    oracle.layout(),
                    barrier,
                    promotionsApplied,
                    rules.allowedLateness().dividedBy(2),
                    settings.requireDuration("load.order.ack-slack"));
            new LoadRun(
                            planner,
                            sends,
                            sink,
                            legacy,
                            new Pacer(rate),
                            new ProgressBar(System.err, events, System.console() != null),
                            progress)
                    .run();
            complete = true;
            LOG.info(
                    "{} sends were held back behind the same user's record not yet consumed; the run waited for one"
                            + " {} times, and {} times ({} s in all) for the broker to acknowledge a record before"
                            + " the next",
                    sends.held(),
                    sends.blocked(),
                    sends.ackWaits(),
                    Math.round(sends.ackWaited().toMillis() / 100.0) / 10.0);
        } finally {
            truth = oracle.truth(new Truth.Run(
                    runId,
                    seed,
                    planner.planned(),
                    start,
                    planner.clock(),
                    complete,
                    barrier.held() && promotionsApplied.held(),
                    purchases,
                    redemptions,
                    promotions,
                    survey.partitions(),
                    legacyDatabase,
                    ids.txnId(),
                    planner.nextTxnId() - 1));
            write(truthFile, truth);
            final double seconds = (System.nanoTime() - startedAt) / 1e9;
            LOG.info(
                    "load run {} {}: {} events in {} s ({} ev/s), {} users, truth in {}",
                    runId,
                    complete ? "done" : "INCOMPLETE",
                    planner.planned(),
                    Math.round(seconds * 10) / 10.0,
                    Math.round(planner.planned() / Math.max(seconds, 1e-3)),
                    truth.users().size(),
                    truthFile);
            LOG.info(
                    "expected: totals {} dead letters {} audit {}", truth.totals(), truth.deadLetters(), truth.audit());
        }
        return truth;
    }

    /**
     * The numbers the truth applies: the configured ones ({@code rules.*} of {@link Settings#RULES}, which
     * edge-streams reads too), so a changed number changes both; the rules themselves are the oracle's own.
     */
    static Rules rulesOf(final Settings settings) {
        return new Rules(
                settings.requireDuration("rules.allowed-lateness"),
                settings.requireDuration("rules.fraud.window"),
                settings.requireLong("rules.fraud.limit-points"),
                settings.requireDuration("rules.fraud.pause"),
                settings.requireDuration("rules.max-future-skew"),
                settings.requireDuration("load.rules.stream-time-max-lead"));
    }

    private static JdbcLegacyWriter openLegacy(final Settings settings, final String database) {
        final Properties credentials = new Properties();
        credentials.setProperty("user", settings.require("pg.user"));
        credentials.setProperty("password", settings.require("pg.password"));
        return new JdbcLegacyWriter(
                JdbcLegacyWriter.url(settings.require("pg.host"), settings.require("pg.port"), database),
                credentials,
                settings.requireInt("load.legacy.batch"),
                settings.requireDuration("load.legacy.reconnect-for"));
    }

    private static void write(final Path file, final Truth truth) throws IOException {
        final Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        final Path partial = parent.resolve(file.getFileName() + ".tmp");
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), truth);
        Files.move(
                partial,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** A dry run, or a legacy-only run, sends nothing to Kafka. */
    private static final class NoEventSink implements EventSink {
        @Override
        public Future<RecordMetadata> send(
                final String topic,
                final String key,
                final Integer partition,
                final Instant timestamp,
                final byte[] value) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** A dry run, or a real-time-only run, writes nothing to the legacy database. */
    private static final class NoLegacyWriter implements LegacyWriter {
        @Override
        public void execute(final LegacyOp op) {}

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }
}
