package io.loyaltylakehouse.reconciler;

import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.legacy;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.member;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.pausedPurchase;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.topic.Topic;
import io.loyaltylakehouse.common.trino.TrinoLogin;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import io.loyaltylakehouse.reconciler.config.ReconcilerConfig;
import io.loyaltylakehouse.reconciler.maintenance.TableCompaction;
import io.loyaltylakehouse.reconciler.sink.LakehouseSinks;
import io.loyaltylakehouse.reconciler.source.KafkaInputs;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a MiniCluster (parallelism 2) against the real broker (KAFKA_BOOTSTRAP) and the real JDBC
 * catalog on the test PostgreSQL (PG_*), with its own topics and its own Iceberg namespace {@code it_<random>}
 * in catalog {@code loyalty}, so Trino (TRINO_URL) sees the same tables as {@code iceberg.it_<random>.*}.
 */
class ReconcilerPipelineIT {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReconcilerPipelineIT.class);
    private static final Duration ROWS_VISIBLE = Duration.ofSeconds(90);

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    @TempDir
    Path temp;

    private String id;
    private ReconcilerConfig config;
    private JdbcCatalog catalog;
    private KafkaProducer<byte[], byte[]> producer;
    private final List<JobClient> jobs = new ArrayList<>();

    @BeforeEach
    void isolate() throws Exception {
        id = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        final Map<String, String> overrides = new HashMap<>();
        overrides.put("reconciler.namespace", id);
        overrides.put("reconciler.topic.points-ledger", id + ".points_ledger");
        overrides.put("reconciler.topic.legacy-ledger-changes", id + ".legacy_ledger_changes");
        overrides.put("reconciler.topic.legacy-members", id + ".legacy_members");
        overrides.put("reconciler.topic.fraud-alerts", id + ".fraud_alerts");
        overrides.put("reconciler.topic.late-events", id + ".late_events");
        overrides.put("reconciler.topic.dead-letters", id + ".reconciler.dlq");
        overrides.put("reconciler.kafka.group-id", id);
        overrides.put("reconciler.kafka.starting-offsets", "earliest");
        overrides.put("reconciler.checkpoint.interval", "1s");
        overrides.put("reconciler.checkpoint.dir", temp.resolve("checkpoints").toString());
        overrides.put("iceberg.warehouse", temp.resolve("warehouse").toUri().toString());
        config = ReconcilerConfig.from(Settings.load(ReconcilerConfig.COMPONENT).with(overrides));

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.kafkaBootstrap()))) {
            final ReconcilerConfig.InputTopics topics = config.topics();
            admin.createTopics(Stream.of(
                                    topics.pointsLedger(),
                                    topics.legacyLedgerChanges(),
                                    topics.legacyMembers(),
                                    topics.fraudAlerts(),
                                    topics.lateEvents())
                            .map(topic -> new NewTopic(topic.name(), 2, (short) 1))
                            .toList())
                    .all()
                    .get();
        }
        ReconcilerJob.ensureTopic(config.kafkaClient(), config.deadLetterTopic());
        ReconcilerJob.provisionTables(config);
        catalog = config.catalog().open();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.kafkaBootstrap(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (final JobClient job : jobs) {
            cancelQuietly(job);
        }
        producer.close();
        for (final LoyaltyTables.TableDefinition table : LoyaltyTables.ALL) {
            catalog.dropTable(TableIdentifier.of(config.namespace(), table.name()), true);
        }
        catalog.dropNamespace(config.namespace());
        catalog.close();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.kafkaBootstrap()))) {
            final ReconcilerConfig.InputTopics topics = config.topics();
            admin.deleteTopics(List.of(
                            topics.pointsLedger().name(),
                            topics.legacyLedgerChanges().name(),
                            topics.legacyMembers().name(),
                            topics.fraudAlerts().name(),
                            topics.lateEvents().name(),
                            config.deadLetterTopic()))
                    .all()
                    .get();
        }
    }

    @Test
    void reconcilesBothLedgersIntoIcebergInEitherArrivalOrder() throws Exception {
        // 1. legacy first for some keys, real time first for others
        send(config.topics().legacyLedgerChanges(), "t-2", legacy(ChangeOp.c, 502, "t-2", "u-1", 90, 11));
        send(config.topics().pointsLedger(), "u-1", purchase("t-1", "u-1", 120));
        send(config.topics().pointsLedger(), "u-1", purchase("t-2", "u-1", 100));
        send(config.topics().legacyLedgerChanges(), "t-1", legacy(ChangeOp.c, 501, "t-1", "u-1", 120, 10));
        send(config.topics().legacyLedgerChanges(), "legacy-503", legacy(ChangeOp.c, 503, null, "legacy-7", 25, 12));
        send(config.topics().legacyLedgerChanges(), "legacy-503", legacy(ChangeOp.u, 503, null, "legacy-7", 40, 13));
        send(config.topics().legacyLedgerChanges(), "legacy-505", legacy(ChangeOp.c, 505, null, "legacy-7", 15, 14));
        send(config.topics().legacyLedgerChanges(), "legacy-505", legacy(ChangeOp.d, 505, null, "legacy-7", 15, 15));
        send(config.topics().pointsLedger(), "u-2", pausedPurchase("t-7", "u-2", 150));
        sendRaw(config.topics().pointsLedger(), "u-2", "{\"business_key\": broken");
        send(
                config.topics().fraudAlerts(),
                "u-2",
                new FraudAlert(
                        "u-2",
                        ReconcilerFixtures.PURCHASED_AT,
                        ReconcilerFixtures.PURCHASED_AT.plusSeconds(300),
                        1100,
                        "t-6",
                        ReconcilerFixtures.PURCHASED_AT.plusSeconds(3600)));
        send(
                config.topics().lateEvents(),
                "u-1",
                new LateEvent(
                        "t-8",
                        "u-1",
                        "s-1",
                        new BigDecimal("12.50"),
                        12,
                        ReconcilerFixtures.PURCHASED_AT,
                        700_000,
                        ReconcilerFixtures.PURCHASED_AT.plusSeconds(700)));
        send(config.topics().legacyMembers(), "7", member(ChangeOp.r, 7, "SILVER", 1));
        send(config.topics().legacyMembers(), "7", member(ChangeOp.u, 7, "GOLD", 2));
        send(config.topics().legacyMembers(), "8", member(ChangeOp.c, 8, "SILVER", 3));
        send(config.topics().legacyMembers(), "8", member(ChangeOp.d, 8, "SILVER", 4));
        producer.flush();

        // 2. run the job
        final Instant startedAt = Instant.now();
        start();

        // 3. the unified ledger, its audit and the pass-through tables
        await().atMost(ROWS_VISIBLE)
                .untilAsserted(() ->
                        assertThat(rows(LoyaltyTables.RECONCILIATION_AUDIT)).hasSize(5));
        await().atMost(ROWS_VISIBLE).untilAsserted(() -> {
            final Map<String, Record> ledger = byKey(rows(LoyaltyTables.POINTS_LEDGER), "business_key");
            assertThat(ledger).containsOnlyKeys("t-1", "t-2", "legacy-503", "legacy-505", "t-7");
            assertThat(ledger.get("t-1").getField("sources")).isEqualTo("realtime+legacy");
            assertThat(ledger.get("t-1").getField("points")).isEqualTo(120L);
            assertThat(ledger.get("t-2").getField("points")).isEqualTo(100L);
            assertThat(ledger.get("legacy-503").getField("points")).isEqualTo(40L);
            assertThat(ledger.get("legacy-505").getField("status")).isEqualTo("VOID");
            assertThat(ledger.get("legacy-505").getField("points")).isEqualTo(0L);
            assertThat(ledger.get("t-7").getField("status")).isEqualTo("PAUSED");
            assertThat(ledger.get("t-7").getField("withheld_points")).isEqualTo(150L);
        });
        assertWrittenBetween(rows(LoyaltyTables.POINTS_LEDGER), startedAt, Instant.now());
        assertWrittenBetween(rows(LoyaltyTables.RECONCILIATION_AUDIT), startedAt, Instant.now());
        final Map<String, Object> resolutions =
                byKey(rows(LoyaltyTables.RECONCILIATION_AUDIT), "business_key").entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().getField("resolution")));
        assertThat(resolutions)
                .isEqualTo(Map.of(
                        "t-1",
                        "MERGED_DUPLICATE",
                        "t-2",
                        "CONFLICT",
                        "legacy-503",
                        "LEGACY_ONLY",
                        "legacy-505",
                        "LEGACY_ONLY",
                        "t-7",
                        "REALTIME_ONLY"));
        await().atMost(ROWS_VISIBLE).untilAsserted(() -> {
            assertThat(rows(LoyaltyTables.FRAUD_ALERTS))
                    .singleElement()
                    .satisfies(alert ->
                            assertThat(alert.getField("points_in_window")).isEqualTo(1100L));
            assertThat(rows(LoyaltyTables.LATE_EVENTS))
                    .singleElement()
                    .satisfies(late -> assertThat(late.getField("amount")).isEqualTo(new BigDecimal("12.50")));
            assertThat(rows(LoyaltyTables.MEMBERS))
                    .singleElement()
                    .satisfies(member -> assertThat(member.getField("tier")).isEqualTo("GOLD"));
        });

        // 4. the bad record is a dead letter, the job still runs
        assertThat(deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.sourceTopic())
                    .isEqualTo(config.topics().pointsLedger().name());
            assertThat(letter.raw()).contains("broken");
        });

        // 5. the same rows through Trino, where it runs on the same catalog
        trinoRows("select business_key, points from iceberg." + id + ".points_ledger")
                .ifPresent(trino -> assertThat(trino)
                        .isEqualTo(Map.of("t-1", 120L, "t-2", 100L, "legacy-503", 40L, "legacy-505", 0L, "t-7", 0L)));
    }

    @Test
    void killedMidStreamResumesFromItsCheckpointWithNoLostAndNoDuplicatedRow() throws Exception {
        final int perBatch = 300;
        sendPurchases(0, perBatch);
        final JobClient first = start();
        await().atMost(ROWS_VISIBLE)
                .until(() -> CheckpointRestore.latestCheckpoint(Path.of(config.checkpointDir()))
                                .isPresent()
                        && !rows(LoyaltyTables.POINTS_LEDGER).isEmpty());

        // killed without a savepoint while the second batch streams in
        sendPurchases(perBatch, 2 * perBatch);
        first.cancel().get();
        jobs.remove(first);
        sendPurchases(2 * perBatch, 3 * perBatch);
        final long rowsAtKill = rows(LoyaltyTables.POINTS_LEDGER).size();
        LOG.info("killed the first run with {} of {} ledger rows committed", rowsAtKill, 3 * perBatch);

        // restarted: resumes from the latest retained checkpoint of the first run
        assertThat(ReconcilerJob.restorePoint(config)).isPresent();
        start();
        await().atMost(ROWS_VISIBLE)
                .untilAsserted(
                        () -> assertThat(rows(LoyaltyTables.POINTS_LEDGER)).hasSize(3 * perBatch));

        final List<Record> ledger = rows(LoyaltyTables.POINTS_LEDGER);
        assertThat(byKey(ledger, "business_key")).hasSize(3 * perBatch);
        assertThat(ledger.stream()
                        .mapToLong(row -> (Long) row.getField("points"))
                        .sum())
                .isEqualTo(expectedPoints(3 * perBatch));
        assertThat(rows(LoyaltyTables.RECONCILIATION_AUDIT)).hasSize(3 * perBatch);

        // compaction beside the job keeps the rows and shrinks the files
        cancelQuietly(jobs.remove(0));
        final Table table = catalog.loadTable(TableIdentifier.of(config.namespace(), "points_ledger"));
        final TableCompaction.FileCounts files = new TableCompaction(
                        List.of(), StreamExecutionEnvironment::getExecutionEnvironment, Duration.ZERO, 1)
                .maintain(table);
        assertThat(files.after()).isLessThanOrEqualTo(files.before());
        assertThat(rows(LoyaltyTables.POINTS_LEDGER)).hasSize(3 * perBatch);

        trinoRows("select business_key, points from iceberg." + id + ".points_ledger")
                .ifPresent(trino -> assertThat(trino).hasSize(3 * perBatch));
    }

    /**
     * Issue 9 items 1 and 4 on RocksDB: an id reused under another user and a legacy transaction of another
     * member (in either arrival order) leave the real-time user's row (CONFLICT); after a restart from an incremental checkpoint, legacy
     * UPDATE, DELETE and re-snapshot of a merged key keep the real-time row, never VOID.
     */
    @Test
    void rowsKeepTheirUserAndTheirRealtimePointsAcrossARestore() throws Exception {
        final ReconcilerConfig.InputTopics topics = config.topics();
        send(topics.pointsLedger(), "u-1", purchase("t-50", "u-1", 60));
        send(topics.legacyLedgerChanges(), "t-50", legacy(ChangeOp.c, 550, "t-50", "u-1", 60, 100));
        send(topics.pointsLedger(), "u-2", purchase("t-51", "u-2", 70));
        send(topics.legacyLedgerChanges(), "t-51", legacy(ChangeOp.c, 551, "t-51", "legacy-9", 70, 101));
        producer.flush();
        final JobClient first = start();
        await().atMost(ROWS_VISIBLE)
                .until(() -> rows(LoyaltyTables.RECONCILIATION_AUDIT).size() == 2
                        && "CONFLICT"
                                .equals(byKey(rows(LoyaltyTables.RECONCILIATION_AUDIT), "business_key")
                                        .get("t-51")
                                        .getField("resolution"))
                        && CheckpointRestore.latestCheckpoint(Path.of(config.checkpointDir()))
                                .isPresent());
        assertThat(Files.walk(Path.of(config.checkpointDir()))
                        .filter(path -> path.getParent().endsWith("shared")))
                .as("RocksDB's incremental checkpoint files")
                .isNotEmpty();
        first.cancel().get();
        jobs.remove(first);

        send(topics.pointsLedger(), "u-3", ReconcilerFixtures.purchase("t-50", "u-3", 60));
        send(topics.legacyLedgerChanges(), "t-50", legacy(ChangeOp.u, 550, "t-50", "u-1", 10, 102));
        send(topics.legacyLedgerChanges(), "t-50", legacy(ChangeOp.d, 550, "t-50", "u-1", 10, 103));
        send(topics.legacyLedgerChanges(), "t-50", legacy(ChangeOp.r, 550, "t-50", "u-1", 55, 104));
        send(topics.legacyLedgerChanges(), "t-51", legacy(ChangeOp.d, 551, "t-51", "legacy-9", 70, 105));
        producer.flush();
        start();

        await().atMost(ROWS_VISIBLE).untilAsserted(() -> {
            final Map<String, Record> audit = byKey(rows(LoyaltyTables.RECONCILIATION_AUDIT), "business_key");
            assertThat(audit.get("t-50").getField("legacy_points")).isEqualTo(55L);
            assertThat(audit.get("t-50").getField("resolution"))
                    .as("u-3's reuse of t-50")
                    .isEqualTo("CONFLICT");
            assertThat(audit.get("t-51").getField("resolution"))
                    .as("legacy-9's transaction is gone")
                    .isEqualTo("REALTIME_ONLY");
            final Map<String, Record> ledger = byKey(rows(LoyaltyTables.POINTS_LEDGER), "business_key");
            assertThat(ledger).containsOnlyKeys("t-50", "t-51");
            assertThat(List.of(
                            ledger.get("t-50").getField("user_id"),
                            ledger.get("t-50").getField("points"),
                            ledger.get("t-50").getField("status"),
                            ledger.get("t-50").getField("sources")))
                    .containsExactly("u-1", 60L, "AWARDED", "realtime+legacy");
            assertThat(List.of(
                            ledger.get("t-51").getField("user_id"),
                            ledger.get("t-51").getField("points"),
                            ledger.get("t-51").getField("status"),
                            ledger.get("t-51").getField("sources")))
                    .containsExactly("u-2", 70L, "AWARDED", "realtime");
        });
        trinoRows("select business_key, points from iceberg." + id + ".points_ledger")
                .ifPresent(trino -> assertThat(trino).isEqualTo(Map.of("t-50", 60L, "t-51", 70L)));
    }

    /**
     * Issue 10: a dead letter the broker refuses (here its topic takes no message over 64 bytes) is logged and
     * counted, and the job neither fails nor restarts: the records after it still land.
     */
    @Test
    void aDeadLetterTheBrokerRefusesNeitherFailsNorRestartsTheJob() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.kafkaBootstrap()))) {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, config.deadLetterTopic()),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("max.message.bytes", "64"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
        }
        sendRaw(config.topics().pointsLedger(), "u-1", "{\"business_key\": broken");
        send(config.topics().pointsLedger(), "u-1", purchase("t-60", "u-1", 60));
        producer.flush();
        final JobClient job = start();
        await().atMost(ROWS_VISIBLE)
                .until(() ->
                        byKey(rows(LoyaltyTables.POINTS_LEDGER), "business_key").containsKey("t-60"));

        sendRaw(config.topics().pointsLedger(), "u-2", "[\"not an object\"]");
        send(config.topics().pointsLedger(), "u-2", purchase("t-61", "u-2", 70));
        producer.flush();
        await().atMost(ROWS_VISIBLE)
                .untilAsserted(() -> assertThat(byKey(rows(LoyaltyTables.POINTS_LEDGER), "business_key"))
                        .containsOnlyKeys("t-60", "t-61"));

        assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        assertThat(Json.MAPPER
                        .readTree(flinkRest("/jobs/" + job.getJobID() + "/exceptions"))
                        .path("exceptionHistory")
                        .path("entries"))
                .as("failures of the job")
                .isEmpty();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", config.kafkaBootstrap()))) {
            final org.apache.kafka.common.TopicPartition dlq =
                    new org.apache.kafka.common.TopicPartition(config.deadLetterTopic(), 0);
            assertThat(admin.listOffsets(Map.of(dlq, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                            .partitionResult(dlq)
                            .get()
                            .offset())
                    .as("dead letters the broker took")
                    .isZero();
        }
    }

    /** A GET on the MiniCluster's REST API. */
    private static String flinkRest(final String path) throws Exception {
        final org.apache.flink.configuration.Configuration client = FLINK.getClientConfiguration();
        final URI base = URI.create("http://" + client.get(org.apache.flink.configuration.RestOptions.ADDRESS) + ":"
                + client.get(org.apache.flink.configuration.RestOptions.PORT));
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(base.resolve(path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private JobClient start() throws Exception {
        final StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(ReconcilerJob.flinkConfiguration(config));
        new ReconcilerPipeline(
                        new KafkaInputs(config),
                        new LakehouseSinks(
                                ReconcilerJob.catalogLoader(config.catalog()),
                                config.namespace(),
                                config.kafkaClient(),
                                config.deadLetterTopic()),
                        config.outOfOrderness(),
                        config.idleness())
                .build(env);
        final JobClient job = env.executeAsync(config.jobName());
        jobs.add(job);
        return job;
    }

    private void sendPurchases(final int from, final int to) {
        for (int i = from; i < to; i++) {
            final String user = "u-" + (i % 17);
            send(config.topics().pointsLedger(), user, purchase("t-" + i, user, points(i)));
            if (i % 3 == 0) {
                send(
                        config.topics().legacyLedgerChanges(),
                        "t-" + i,
                        legacy(ChangeOp.c, 10_000 + i, "t-" + i, user, points(i), i));
            }
        }
        producer.flush();
    }

    private static long points(final int i) {
        return 1 + i % 50;
    }

    private static long expectedPoints(final int count) {
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += points(i);
        }
        return sum;
    }

    /** A message as every producer writes it: through its topic's serdes. */
    private <V> void send(final Topic<String, V> topic, final String key, final V value) {
        producer.send(new ProducerRecord<>(topic.name(), topic.keyBytes(key), topic.valueBytes(value)));
    }

    /** Text no serializer would write: how a bad record reaches the reconciler. */
    private void sendRaw(final Topic<String, ?> topic, final String key, final String text) {
        producer.send(new ProducerRecord<>(topic.name(), topic.keyBytes(key), text.getBytes(StandardCharsets.UTF_8)));
    }

    private List<Record> rows(final LoyaltyTables.TableDefinition definition) throws Exception {
        final Table table = catalog.loadTable(TableIdentifier.of(config.namespace(), definition.name()));
        final List<Record> out = new ArrayList<>();
        try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
            records.forEach(out::add);
        }
        return out;
    }

    /** Every row carries written_at, the wall clock of the reconciler's write (not an input's timestamp). */
    private static void assertWrittenBetween(final List<Record> records, final Instant from, final Instant to) {
        assertThat(records)
                .isNotEmpty()
                .allSatisfy(record -> assertThat(((OffsetDateTime) record.getField("written_at")).toInstant())
                        .as("written_at of %s", record.getField("business_key"))
                        .isBetween(from, to));
    }

    private static Map<String, Record> byKey(final List<Record> records, final String key) {
        final Map<String, Record> out = new HashMap<>();
        records.forEach(record -> out.put(record.getField(key).toString(), record));
        return out;
    }

    private List<DeadLetter> deadLetters() {
        final List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        config.kafkaBootstrap(),
                        ConsumerConfig.GROUP_ID_CONFIG,
                        id + "-dlq-reader",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(config.deadLetterTopic()));
            await().atMost(ROWS_VISIBLE).until(() -> {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(record -> letters.add(Json.fromBytes(record.value(), DeadLetter.class)));
                return !letters.isEmpty();
            });
        }
        return letters;
    }

    /** Rows as business_key -> points through Trino as loyalty_admin, or empty when no Trino answers. */
    private java.util.Optional<Map<String, Long>> trinoRows(final String sql) throws Exception {
        final String url = System.getenv("TRINO_URL");
        if (url == null || !reachable(URI.create(url))) {
            return java.util.Optional.empty();
        }
        final TrinoLogin login = TrinoLogin.of(Settings.load("flink-reconciler"), "loyalty_admin");
        try (Connection connection = DriverManager.getConnection(login.jdbcUrl("iceberg"), login.jdbcProperties());
                ResultSet result = connection.createStatement().executeQuery(sql)) {
            final Map<String, Long> rows = new HashMap<>();
            while (result.next()) {
                rows.put(result.getString(1), result.getLong(2));
            }
            LOG.info("Trino at {} returned {} rows for: {}", url, rows.size(), sql);
            return java.util.Optional.of(rows);
        }
    }

    private static boolean reachable(final URI uri) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
            return true;
        } catch (final java.io.IOException e) {
            return false;
        }
    }

    private static void cancelQuietly(final JobClient job) {
        try {
            job.cancel().get();
        } catch (final Exception e) {
            // already finished or cancelled
        }
    }
}
