package io.loyaltylakehouse.cdc.bench;

import io.loyaltylakehouse.cdc.testing.BridgeProcess;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Issue 4's benchmark, against the PostgreSQL and Kafka named by the environment (like the IT), with the bridge
 * running as its own process on its defaults (cdc-bridge.properties):
 * (a) snapshot of a bulk of existing legacy rows, (b) the same bulk inserted while streaming (one transaction),
 * (c) delay from commit in PostgreSQL to the record visible to a Kafka consumer under a steady write rate.
 * Writes a markdown report. Run from the repository root after {@code mvn -pl cdc-bridge package}:
 * {@code java -cp cdc-bridge/target/test-classes:cdc-bridge/target/classes:$(cat cdc-bridge/target/runtime.classpath)
 * io.loyaltylakehouse.cdc.bench.CdcBridgeBench bench/results/cdc-bridge.md}
 * Sizes: -Dbench.cdc.rows=100000 -Dbench.cdc.rate=200 -Dbench.cdc.seconds=30.
 */
public final class CdcBridgeBench {
    private static final Settings ENV = Settings.load("cdc-bridge");
    private static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String DATABASE = "cdc_bench_" + RUN;
    private static final String LEDGER = "cdc_bench_ledger_" + RUN;
    private static final List<String> TOPICS = List.of(LEDGER, "cdc_bench_members_" + RUN, "cdc_bench_dlq_" + RUN);
    private static final int MEMBERS = 1_000;

    private CdcBridgeBench() {
    }

    public static void main(final String[] args) throws Exception {
        final Path report = Path.of(args.length > 0 ? args[0] : "bench/results/cdc-bridge.md");
        final int rows = Integer.getInteger("bench.cdc.rows", 100_000);
        final int rate = Integer.getInteger("bench.cdc.rate", 200);
        final int seconds = Integer.getInteger("bench.cdc.seconds", 30);
        final Path workDir = Files.createTempDirectory("cdc-bridge-bench-");
        final String loadBefore = loadAverage();
        setUp(rows);
        final BridgeProcess bridge = new BridgeProcess(Path.of("cdc-bridge"), Map.ofEntries(
                Map.entry("kafka.bootstrap", ENV.require("kafka.bootstrap")),
                Map.entry("pg.host", ENV.require("pg.host")), Map.entry("pg.port", ENV.require("pg.port")),
                Map.entry("pg.user", ENV.require("pg.user")), Map.entry("pg.password", ENV.get("pg.password", "")),
                Map.entry("pg.legacy.database", DATABASE), Map.entry("data.dir", workDir.toString()),
                Map.entry("cdc.slot.name", DATABASE), Map.entry("cdc.publication.name", DATABASE),
                Map.entry("cdc.topic.ledger-changes", LEDGER), Map.entry("cdc.topic.members", TOPICS.get(1)),
                Map.entry("cdc.topic.dead-letters", TOPICS.get(2)), Map.entry("cdc.http.port", "0")), workDir);
        try (KafkaConsumer<String, String> consumer = ledgerConsumer()) {
            final long started = System.nanoTime();
            bridge.start();
            final long[] snapshot = awaitTxns(consumer, rows, id -> id <= rows);
            final double snapshotStartupSeconds = (snapshot[1] - started) / 1e9;
            final double snapshotRate = rows / ((snapshot[1] - snapshot[0]) / 1e9);

            final long committed = insertBulk(rows + 1, rows);
            final long[] streamed = awaitTxns(consumer, rows, id -> id > rows && id <= 2L * rows);
            final double streamRate = rows / ((streamed[1] - committed) / 1e9);

            final long[] delays = steadyLoad(consumer, 2L * rows + 1, rate, seconds);
            write(report, loadBefore + " before, " + loadAverage() + " after", rows, rate, seconds, snapshotRate,
                    snapshotStartupSeconds, streamRate, (streamed[0] - committed) / 1e6, delays);
        } finally {
            bridge.stop();
            tearDown();
            try (var files = Files.walk(workDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static void setUp(final int rows) throws Exception {
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE);
        }
        try (Connection legacy = connect(DATABASE); Statement statement = legacy.createStatement()) {
            statement.execute(resource("/legacy/schema.sql"));
            statement.execute("INSERT INTO legacy.members SELECT m, 'm' || m || '@example.com', 'Member ' || m, "
                    + "'SILVER', CASE WHEN m % 2 = 0 THEN 'u-' || m END, now() FROM generate_series(1, " + MEMBERS
                    + ") m");
        }
        insertBulk(1, rows);
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(LEDGER, 4, (short) 1), new NewTopic(TOPICS.get(1), 4, (short) 1),
                    new NewTopic(TOPICS.get(2), 1, (short) 1))).all().get();
        }
    }

    /** Inserts {@code count} transactions in one statement; returns System.nanoTime() after the commit. */
    private static long insertBulk(final long firstTxnId, final int count) throws SQLException {
        try (Connection legacy = connect(DATABASE); Statement statement = legacy.createStatement()) {
            statement.execute("INSERT INTO legacy.points_transactions SELECT t, 1 + t % " + MEMBERS + ", 1 + t % 500, "
                    + "(1 + t % 500)::numeric, 'EARN', CASE WHEN t % 4 = 0 THEN 'bench-' || t END, now(), now() "
                    + "FROM generate_series(" + firstTxnId + ", " + (firstTxnId + count - 1) + ") t");
            return System.nanoTime();
        }
    }

    /** Polls until {@code count} changes of matching txn ids arrived; returns nanoTime of the first and the last. */
    private static long[] awaitTxns(final KafkaConsumer<String, String> consumer, final int count,
            final LongPredicate matches) {
        long first = 0;
        int seen = 0;
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (seen < count) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen + " of " + count + " changes arrived in 10 minutes");
            }
            for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                if (matches.test(Json.fromJson(record.value(), LegacyLedgerChange.class).legacyTxnId())) {
                    first = seen++ == 0 ? System.nanoTime() : first;
                }
            }
        }
        return new long[] {first, System.nanoTime()};
    }

    /**
     * One committed single-row insert at a time, {@code rate} per second for {@code seconds}, each stamped with
     * clock_timestamp() just before its commit; the delay is when the consumer saw it minus that stamp.
     */
    private static long[] steadyLoad(final KafkaConsumer<String, String> consumer, final long firstTxnId,
            final int rate, final int seconds) throws Exception {
        final int total = rate * seconds;
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final Thread writer = new Thread(() -> {
            try (Connection legacy = connect(DATABASE); PreparedStatement insert = legacy.prepareStatement(
                    "INSERT INTO legacy.points_transactions VALUES (?, ?, 10, 10.00, 'EARN', NULL, now(), "
                            + "clock_timestamp())")) {
                final long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    LockSupport.parkNanos(start + i * 1_000_000_000L / rate - System.nanoTime());
                    insert.setLong(1, firstTxnId + i);
                    insert.setLong(2, 1 + i % MEMBERS);
                    insert.executeUpdate();
                }
            } catch (final SQLException e) {
                failure.set(e);
            }
        }, "bench-writer");
        writer.start();
        final long[] delays = new long[total];
        int seen = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120L);
        while (seen < total && System.nanoTime() < deadline && failure.get() == null) {
            for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(20))) {
                final Instant now = Instant.now();
                final LegacyLedgerChange change = Json.fromJson(record.value(), LegacyLedgerChange.class);
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

    private static void write(final Path report, final String load, final int rows, final int rate, final int seconds,
            final double snapshotRate, final double snapshotStartupSeconds, final double streamRate,
            final double firstStreamedMs, final long[] delays) throws IOException {
        final String text = "# cdc-bridge: changes per second and commit-to-Kafka delay\n\n"
                + "Run " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " by `CdcBridgeBench` on "
                + Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + ".\nPostgreSQL, one Kafka broker (KRaft, 4.3.0), the bridge (own JVM, -Xmx384m, defaults of "
                + "cdc-bridge.properties: pgoutput, idempotent acks=all producer, linger.ms=5, batches of up to "
                + "2048, poll.interval.ms=50) and this program share the machine (1-minute load average " + load
                + ": other work on the machine competes for the same 2 cores).\n"
                + "Ledger topic with 4 partitions; every change is a JSON `LegacyLedgerChange` keyed by business key.\n\n"
                + "## Throughput: a bulk of " + String.format("%,d", rows) + " legacy transactions\n\n"
                + "| what | changes/s | notes |\n|---|---|---|\n"
                + "| (a) initial snapshot of existing rows | " + String.format("%,.0f", snapshotRate)
                + " | first to last record seen by a consumer; " + String.format("%.1f", snapshotStartupSeconds)
                + " s from process start (JVM, slot, snapshot) to the last record |\n"
                + "| (b) streamed: one INSERT ... SELECT of " + String.format("%,d", rows) + " rows | "
                + String.format("%,.0f", streamRate) + " | from the commit to the last record; the first record "
                + "arrived " + String.format("%,.0f", firstStreamedMs) + " ms after the commit |\n\n"
                + "## Delay from commit in PostgreSQL to record visible in Kafka\n\n"
                + rate + " single-row committed inserts per second for " + seconds + " s; delay = consumer receive "
                + "time minus the row's `clock_timestamp()` (taken just before its commit).\n\n"
                + "| p50 ms | p99 ms | max ms | samples |\n|---|---|---|---|\n"
                + "| " + millis(percentile(delays, 50)) + " | " + millis(percentile(delays, 99)) + " | "
                + millis(delays.length == 0 ? 0 : delays[delays.length - 1]) + " | " + delays.length + " |\n";
        Files.createDirectories(report.toAbsolutePath().getParent());
        Files.writeString(report, text);
        System.out.println(text);
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    private static String millis(final long micros) {
        return String.format("%.1f", micros / 1000.0);
    }

    private static long percentile(final long[] sorted, final int percent) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0
                * sorted.length) - 1)];
    }

    private static KafkaConsumer<String, String> ledgerConsumer() {
        final Properties props = new Properties();
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, ENV.require("kafka.bootstrap"));
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        final KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(LEDGER).stream()
                .map(info -> new TopicPartition(LEDGER, info.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    private static void tearDown() throws Exception {
        try (Connection admin = connect("postgres"); Statement statement = admin.createStatement()) {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                try (var rs = statement.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                        + DATABASE + "' AND active")) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        break;
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + DATABASE + "'");
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        try (Admin admin = admin()) {
            admin.deleteTopics(TOPICS).all().get();
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ENV.require("kafka.bootstrap")));
    }

    private static Connection connect(final String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + ENV.require("pg.host") + ":"
                + ENV.require("pg.port") + "/" + database, ENV.require("pg.user"), ENV.get("pg.password", ""));
    }

    private static String resource(final String name) throws IOException {
        try (InputStream in = CdcBridgeBench.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
