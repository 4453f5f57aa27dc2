package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.stack.LegacyCdcAccess;
import io.loyaltylakehouse.stack.ModuleCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Issue 4's benchmark, in one run on the bench stack's PostgreSQL and broker:
 * (a) a plain producer sending the very JSON records the bridge wrote (the baseline);
 * (b) the bridge's initial snapshot of a bulk of existing legacy transactions;
 * (c) the same bulk inserted in one transaction while the bridge streams;
 * (d) delay from commit in PostgreSQL to the record visible to a consumer, at a steady write rate.
 * The bridge runs as its own process, exactly as the launcher starts it, on a database, slot, publication,
 * offset file and topics of its own.
 */
final class CdcBridgeBench {
    /** The legacy DDL belongs to the cdc-bridge, which streams that database. */
    private static final String LEGACY_SCHEMA = "cdc-bridge/src/main/resources/legacy/schema.sql";

    private static final int MEMBERS = 1_000;

    private final Settings settings;
    private final Path repoDir;
    private final int rows;
    private final int delayRate;
    private final Duration delayDuration;
    private final String run = BenchKafka.newRunId();
    /** Database, replication slot and publication share this name. */
    private final String database = "cdc_bench_" + run;

    CdcBridgeBench(
            final Settings settings,
            final Path repoDir,
            final int rows,
            final int delayRate,
            final Duration delayDuration) {
        this.settings = settings;
        this.repoDir = repoDir;
        this.rows = rows;
        this.delayRate = delayRate;
        this.delayDuration = delayDuration;
    }

    private String topic(final String name) {
        return "cdc_bench_" + run + "_" + name;
    }

    BenchReport run() throws Exception {
        final String loadBefore = loadAverage();
        final BenchReport report = new BenchReport(
                        "cdc-bridge: changes per second and commit-to-Kafka delay vs raw Kafka")
                .setting("broker", "single-node KRaft, Kafka 4.3.0, ledger topic with 4 partitions")
                .setting("bulk", String.format("%,d legacy transactions of %,d members", rows, MEMBERS))
                .setting(
                        "bridge",
                        "own JVM (-Xmx384m), cdc-bridge.properties defaults: pgoutput, idempotent acks=all "
                                + "producer, " + bridgeDefaults())
                .setting(
                        "baseline (a)",
                        "one KafkaProducer (acks=all, idempotent, lz4, linger.ms=5) sending the same "
                                + "records (key and JSON value) the bridge wrote in (b)")
                .setting(
                        "delay (d)",
                        delayRate + " single-row committed inserts/s for " + delayDuration.toSeconds()
                                + " s; delay = consumer receive time minus the row's clock_timestamp() taken just before commit");
        final Path workDir = Files.createTempDirectory("bench-cdc-bridge");
        final List<String> topics = List.of(topic("ledger"), topic("members"), topic("raw"), topic("dlq"));
        try (BenchKafka kafka = new BenchKafka(settings)) {
            try {
                kafka.createTopics(topics.subList(0, 3), 4);
                kafka.createTopics(topics.subList(3, 4), 1);
                createLegacyDatabase();
                measure(kafka, report, workDir);
            } finally {
                dropLegacyDatabase();
                kafka.deleteTopics(topics);
                try (var files = Files.walk(workDir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
        }
        report.note("PostgreSQL, the broker, the bridge and this program share the machine; 1-minute load average "
                + loadBefore + " before, " + loadAverage() + " after (other work on the machine competes for the same "
                + "cores). The baseline (a) is the ceiling for (b) and (c): the bridge sends the same records with the "
                + "same acks, and also decodes the WAL and maps every change.");
        return report;
    }

    private void measure(final BenchKafka kafka, final BenchReport report, final Path workDir) throws Exception {
        // For scale: how fast PostgreSQL itself writes the bulk, before the bridge runs.
        final double insertRate = rows / (insertBulk(1, rows) / 1e9);
        final Process bridge = startBridge(workDir);
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("bench-cdc-" + run, false)) {
            consumer.subscribe(List.of(topic("ledger")));
            final long started = System.nanoTime();
            final List<byte[][]> snapshotted = new ArrayList<>(rows);
            final long[] snapshot;
            final ThroughputSampler snapshotSampler =
                    ThroughputSampler.topic("(b) bridge: snapshot", kafka, topic("ledger"));
            try (snapshotSampler) {
                snapshot = awaitTxns(consumer, bridge, id -> id <= rows, snapshotted);
            }
            final double snapshotRate = rows / ((snapshot[1] - snapshot[0]) / 1e9);

            final double raw;
            final ThroughputSampler rawSampler = ThroughputSampler.topic("(a) plain producer", kafka, topic("raw"));
            try (rawSampler) {
                raw = produceRate(kafka, snapshotted);
            }
            snapshotted.clear();

            final JfrProfile profile = JfrProfile.ofProcess(bridge.toHandle(), workDir.resolve("bridge.jfr"));
            final Duration cpuBefore = cpu(bridge);
            final ThroughputSampler streamSampler =
                    ThroughputSampler.topic("(c) bridge: streamed", kafka, topic("ledger"));
            final long committed;
            final long[] streamed;
            try (streamSampler) {
                insertBulk(rows + 1, rows);
                committed = System.nanoTime();
                streamed = awaitTxns(consumer, bridge, id -> id > rows && id <= 2L * rows, null);
            }
            final double streamRate = rows / ((streamed[1] - committed) / 1e9);
            final double cpuMsPerThousand = cpu(bridge).minus(cpuBefore).toNanos() / 1e6 / rows * 1000;
            final JfrProfile.Summary streamProfile = profile.stop();

            final long[] delays = steadyLoad(consumer, bridge, 2L * rows + 1);
            report.table(
                    "Throughput: " + String.format("%,d", rows) + " legacy transactions (same broker, same records)",
                    List.of("what", "changes/s", "ratio to (a)", "notes"),
                    List.of(
                            List.of(
                                    "(a) plain producer, the same records",
                                    BenchReport.format(raw),
                                    "1.00",
                                    "first send to last ack, after a warm-up"),
                            List.of(
                                    "(b) bridge: initial snapshot of existing rows",
                                    BenchReport.format(snapshotRate),
                                    ratio(snapshotRate, raw),
                                    "first to last record seen by a consumer; "
                                            + String.format("%.1f", (snapshot[1] - started) / 1e9)
                                            + " s from process start (JVM, slot, snapshot) to the last record"),
                            List.of(
                                    "(c) bridge: streamed, one INSERT ... SELECT of the bulk",
                                    BenchReport.format(streamRate),
                                    ratio(streamRate, raw),
                                    "from the commit to the last record; the first arrived "
                                            + String.format("%,.0f", (streamed[0] - committed) / 1e6)
                                            + " ms after the commit"),
                            List.of(
                                    "for scale: PostgreSQL writing the bulk (one INSERT ... SELECT over JDBC)",
                                    BenchReport.format(insertRate),
                                    ratio(insertRate, raw),
                                    "rows/s from statement start to commit, before the bridge started")));
            final List<List<String>> profileRows = new ArrayList<>();
            profileRows.addAll(streamProfile.rows("library", 10, cpuMsPerThousand));
            profileRows.addAll(streamProfile.rows("thread", 6, cpuMsPerThousand));
            profileRows.addAll(streamProfile.rows("method", 12, cpuMsPerThousand));
            profileRows.addAll(streamProfile.rows("caller", 8, cpuMsPerThousand));
            report.table(
                    String.format(
                            "Profile of (c): the bridge's CPU while it streams the bulk (JFR execution samples; "
                                    + "%.1f CPU ms of the bridge process per 1,000 changes)",
                            cpuMsPerThousand),
                    List.of("by", "what", "share of samples", "~ CPU ms per 1,000 changes"),
                    profileRows);
            report.table(
                    "(d) Delay: commit in PostgreSQL -> record visible to a Kafka consumer",
                    List.of("p50 ms", "p99 ms", "max ms", "samples"),
                    List.of(List.of(
                            millis(BenchReport.percentile(delays, 50)),
                            millis(BenchReport.percentile(delays, 99)),
                            millis(delays.length == 0 ? -1 : delays[delays.length - 1]),
                            Integer.toString(delays.length))));
            report.chart(
                    "cdc-bridge-throughput",
                    "throughput over time: plain producer baseline, snapshot and streaming",
                    BenchChart.throughput(
                            "Records reaching Kafka over time (same broker, same records)",
                            List.of(rawSampler.series(), snapshotSampler.series(), streamSampler.series())));
            report.chart(
                    "cdc-bridge-delay",
                    "delay distribution: commit in PostgreSQL -> visible in Kafka",
                    BenchChart.latency(
                            "Commit in PostgreSQL -> record visible to a Kafka consumer, " + delayRate + " commits/s",
                            "ms",
                            Map.of(
                                    "cdc-bridge",
                                    Arrays.stream(delays)
                                            .map(micros -> micros / 1000)
                                            .toArray())));
        } finally {
            bridge.destroy();
            if (!bridge.waitFor(60, TimeUnit.SECONDS)) {
                bridge.destroyForcibly();
            }
        }
    }

    /** The throughput settings of cdc-bridge.properties, as the bridge reads them. */
    private String bridgeDefaults() throws IOException {
        final Properties defaults = new Properties();
        try (var in = Files.newInputStream(repoDir.resolve("cdc-bridge/src/main/resources/cdc-bridge.properties"))) {
            defaults.load(in);
        }
        return List.of(
                        "cdc.producer.linger.ms",
                        "cdc.producer.batch.size",
                        "cdc.producer.compression.type",
                        "debezium.max.batch.size",
                        "debezium.max.queue.size",
                        "debezium.poll.interval.ms")
                .stream()
                .map(key -> key.substring(key.indexOf('.') + 1) + "="
                        + defaults.getProperty(key, "(Kafka's/Debezium's default)"))
                .collect(Collectors.joining(", "));
    }

    /** CPU time of the bridge process (all its threads) so far. */
    private static Duration cpu(final Process bridge) {
        return bridge.toHandle().info().totalCpuDuration().orElseThrow();
    }

    private static String ratio(final double value, final double baseline) {
        return String.format("%.2f", value / baseline);
    }

    private Process startBridge(final Path workDir) throws Exception {
        final List<String> command = ModuleCommand.of(
                        repoDir, "bench-cdc-bridge", "cdc-bridge", "io.loyaltylakehouse.cdc.CdcBridgeApp", "384m")
                .orElseThrow(() -> new IllegalStateException("cdc-bridge is not built: run `make build`"));
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        workDir.resolve("bridge.log").toFile()));
        builder.environment()
                .putAll(Map.ofEntries(
                        Map.entry("KAFKA_BOOTSTRAP", settings.require("kafka.bootstrap")),
                        Map.entry("PG_HOST", settings.require("pg.host")),
                        Map.entry("PG_PORT", settings.require("pg.port")),
                        Map.entry(cdcPasswordName(), Credentials.load(settings).secret(cdcPasswordName())),
                        Map.entry("PG_LEGACY_DATABASE", database),
                        Map.entry("DATA_DIR", workDir.toString()),
                        Map.entry("CDC_SLOT_NAME", database),
                        Map.entry("CDC_PUBLICATION_NAME", database),
                        Map.entry(
                                "CDC_OFFSETS_FILE",
                                workDir.resolve("offsets.dat").toString()),
                        Map.entry("CDC_TOPIC_LEDGER_CHANGES", topic("ledger")),
                        Map.entry("CDC_TOPIC_MEMBERS", topic("members")),
                        Map.entry("CDC_TOPIC_DEAD_LETTERS", topic("dlq")),
                        Map.entry("CDC_HTTP_PORT", "0")));
        return builder.start();
    }

    private void createLegacyDatabase() throws Exception {
        try (Connection admin = connect("postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try (Connection legacy = connect(database);
                Statement statement = legacy.createStatement()) {
            statement.execute(Files.readString(repoDir.resolve(LEGACY_SCHEMA)));
            LegacyCdcAccess.grant(
                    legacy, settings.require("pg.cdc.user"), database, settings.get("cdc.heartbeat.table", ""));
            statement.execute("INSERT INTO legacy.members SELECT m, 'm' || m || '@example.com', 'Member ' || m, "
                    + "'SILVER', CASE WHEN m % 2 = 0 THEN 'u-' || m END, now() FROM generate_series(1, " + MEMBERS
                    + ") m");
        }
    }

    /**
     * Waits until the bridge let go of its slot, drops the slot as the bridge's role (only a replication role may),
     * then the database (the publication goes with it).
     */
    private void dropLegacyDatabase() throws Exception {
        try (Connection bridge = DriverManager.getConnection(
                        jdbcUrl(database),
                        settings.require("pg.cdc.user"),
                        Credentials.load(settings).secret(cdcPasswordName()));
                Statement statement = bridge.createStatement()) {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && slotActive(statement)) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + database + "'");
        }
        try (Connection admin = connect("postgres");
                Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private String cdcPasswordName() {
        return Credentials.pgPasswordName(settings.require("pg.cdc.user"));
    }

    private boolean slotActive(final Statement statement) throws SQLException {
        try (ResultSet rs = statement.executeQuery(
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + database + "' AND active")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** Inserts {@code count} transactions in one statement (a quarter with a source_txn_ref); returns its nanos. */
    private long insertBulk(final long firstTxnId, final int count) throws SQLException {
        try (Connection legacy = connect(database);
                Statement statement = legacy.createStatement()) {
            final long start = System.nanoTime();
            statement.execute("INSERT INTO legacy.points_transactions SELECT t, 1 + t % " + MEMBERS + ", 1 + t % 500, "
                    + "(1 + t % 500)::numeric, 'EARN', CASE WHEN t % 4 = 0 THEN 'bench-' || t END, now(), now() "
                    + "FROM generate_series(" + firstTxnId + ", " + (firstTxnId + count - 1) + ") t");
            return System.nanoTime() - start;
        }
    }

    /**
     * Polls until {@code rows} changes of matching txn ids arrived, keeping their key and value in {@code keep} when
     * given; returns the nanoTime of the first and of the last.
     */
    private long[] awaitTxns(
            final KafkaConsumer<byte[], byte[]> consumer,
            final Process bridge,
            final LongPredicate matches,
            final List<byte[][]> keep) {
        long first = 0;
        int seen = 0;
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (seen < rows) {
            if (!bridge.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + rows + " changes arrived; bridge "
                        + (bridge.isAlive() ? "still running" : "exited with code " + bridge.exitValue()));
            }
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                if (matches.test(
                        Json.fromBytes(record.value(), LegacyLedgerChange.class).legacyTxnId())) {
                    first = seen++ == 0 ? System.nanoTime() : first;
                    if (keep != null) {
                        keep.add(new byte[][] {record.key(), record.value()});
                    }
                }
            }
        }
        return new long[] {first, System.nanoTime()};
    }

    /** records/s of a plain producer sending the records, after a warm-up with a fifth of them. */
    private double produceRate(final BenchKafka kafka, final List<byte[][]> records) throws Exception {
        kafka.produceAll(topic("raw"), records.subList(0, records.size() / 5));
        final long start = System.nanoTime();
        kafka.produceAll(topic("raw"), records);
        return records.size() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * One committed single-row insert at a time, at the delay rate, each stamped with clock_timestamp() just before
     * its commit; returns the sorted delays in microseconds from that stamp to the consumer receiving the change.
     */
    private long[] steadyLoad(final KafkaConsumer<byte[], byte[]> consumer, final Process bridge, final long firstTxnId)
            throws Exception {
        final int total = (int) (delayRate * delayDuration.toSeconds());
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Thread writer = new Thread(
                () -> {
                    try (Connection legacy = connect(database);
                            PreparedStatement insert = legacy.prepareStatement(
                                    "INSERT INTO legacy.points_transactions VALUES (?, ?, 10, 10.00, 'EARN', NULL, now(), "
                                            + "clock_timestamp())")) {
                        final long start = System.nanoTime();
                        for (int i = 0; i < total; i++) {
                            LockSupport.parkNanos(start + i * 1_000_000_000L / delayRate - System.nanoTime());
                            insert.setLong(1, firstTxnId + i);
                            insert.setLong(2, 1 + i % MEMBERS);
                            insert.executeUpdate();
                        }
                    } catch (final SQLException e) {
                        failure.set(e);
                    }
                },
                "bench-cdc-writer");
        writer.start();
        final long[] delays = new long[total];
        int seen = 0;
        final long deadline = System.nanoTime() + delayDuration.plusMinutes(2).toNanos();
        while (seen < total && System.nanoTime() < deadline && failure.get() == null && bridge.isAlive()) {
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                final Instant now = Instant.now();
                final LegacyLedgerChange change = Json.fromBytes(record.value(), LegacyLedgerChange.class);
                if (change.legacyTxnId() >= firstTxnId && seen < total) {
                    delays[seen++] = ChronoUnit.MICROS.between(change.updatedAt(), now);
                }
            }
        }
        writer.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        final long[] measured = Arrays.copyOf(delays, seen);
        Arrays.sort(measured);
        return measured;
    }

    private String jdbcUrl(final String name) {
        return "jdbc:postgresql://" + settings.require("pg.host") + ":" + settings.require("pg.port") + "/" + name;
    }

    private Connection connect(final String name) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(name), settings.require("pg.user"), settings.get("pg.password", ""));
    }

    private static String millis(final long micros) {
        return micros < 0 ? "-" : String.format("%.1f", micros / 1000.0);
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
