package io.loyaltylakehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.load.kafka.TopicReader;
import io.loyaltylakehouse.load.kafka.TopicSurvey;
import io.loyaltylakehouse.load.oracle.TopicLayout;
import io.loyaltylakehouse.load.oracle.Truth;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small load against the real broker and PostgreSQL (KAFKA_BOOTSTRAP, PG_* as for every IT), into topics and a
 * legacy database of its own: everything the truth says was sent has arrived, on the partitions the oracle assumed.
 */
class LoadGeneratorIT {
    private static final Path LEGACY_SCHEMA =
            Path.of("..", "cdc-bridge", "src", "main", "resources", "legacy", "schema.sql");

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Settings base = Settings.load("load-generator");
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final TopicLayout topics = new TopicLayout(
            "purchase_events_it_" + suffix, "redemption_events_it_" + suffix, "promotions_it_" + suffix, 4);
    private final String database = "legacy_it_" + suffix;
    private Admin admin;

    @BeforeEach
    void createTopicsAndDatabase() throws Exception {
        admin = Admin.create(KafkaClients.config(base));
        admin.createTopics(List.of(
                        new NewTopic(topics.purchases(), 4, (short) 1),
                        new NewTopic(topics.redemptions(), 4, (short) 1),
                        new NewTopic(topics.promotions(), 1, (short) 1)
                                .configs(
                                        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                .all()
                .get(30, TimeUnit.SECONDS);
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + database);
        }
        try (Connection connection = connect(database);
                Statement statement = connection.createStatement()) {
            statement.execute(Files.readString(LEGACY_SCHEMA));
        }
    }

    @AfterEach
    void dropTopicsAndDatabase() throws Exception {
        admin.deleteTopics(List.of(topics.purchases(), topics.redemptions(), topics.promotions()))
                .all()
                .get(30, TimeUnit.SECONDS);
        admin.close();
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void everythingTheTruthCountsArrivesOnThePartitionsTheOracleAssumed(@TempDir final Path dir) throws Exception {
        // An earlier event ten minutes ago: the run (which would start 50 minutes ago) must start after it, or all
        // its purchases would be late.
        final Instant earlier = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        sendEarlierPurchase(earlier);
        final Path truthFile = dir.resolve("truth.json");

        final Truth truth =
                LoadGenerator.run(settings(), "--events", "3000", "--seed", "7", "--truth", truthFile.toString());

        assertThat(Truth.read(truthFile)).isEqualTo(truth);
        assertThat(truth.run().complete()).isTrue();
        assertThat(truth.run().start()).isAfter(earlier);
        final Map<String, Long> totals = truth.totals();
        // Every purchase is where the oracle put it: on its key's partition, but for the ones planted elsewhere.
        final var purchases = readAll(topics.purchases());
        assertThat(purchases).hasSize((int) (totals.get("purchases_sent") + 1));
        assertThat(purchases.stream()
                        .filter(record -> record.partition() != topics.partitionOf(record.key()))
                        .count())
                .isEqualTo(totals.get("wrong_partition_records"))
                .isPositive();
        assertThat(readAll(topics.redemptions()))
                .hasSize(totals.get("redemptions_sent").intValue())
                .allSatisfy(record -> assertThat(record.partition()).isEqualTo(topics.partitionOf(record.key())));
        assertThat(readAll(topics.promotions()))
                .hasSize((int) (totals.get("promotions_sent") + totals.get("promotion_withdrawals")));

        try (Connection connection = connect(database)) {
            // the planted closed account: one member deleted with its transactions
            assertThat(count(connection, "SELECT count(*) FROM legacy.members"))
                    .isEqualTo(totals.get("legacy_members_inserted") - totals.get("legacy_members_deleted"));
            assertThat(count(connection, "SELECT count(*) FROM legacy.points_transactions"))
                    .isEqualTo(totals.get("legacy_transactions_live"));
            assertThat(count(
                            connection,
                            "SELECT count(*) FROM legacy.points_transactions WHERE source_txn_ref IS NOT NULL"))
                    .isEqualTo(truth.audit().get("MERGED_DUPLICATE")
                            + truth.audit().get("CONFLICT"));
        }

        // A second run continues after the first: new ids in the legacy DB, event times after the first run's.
        final Truth second = LoadGenerator.run(
                settings(),
                "--events",
                "500",
                "--seed",
                "7",
                "--truth",
                dir.resolve("second.json").toString());
        // (The first run's end is its planted future-dated purchase, 40 minutes ahead; stream time never follows
        // such a record past the clock, so the second run need only start after the first one's on-time events.)
        assertThat(second.run().start()).isAfter(truth.run().start());
        assertThat(second.run().runId()).isNotEqualTo(truth.run().runId());
        try (Connection connection = connect(database)) {
            assertThat(count(connection, "SELECT count(*) FROM legacy.members"))
                    .isEqualTo(totals.get("legacy_members_inserted")
                            - totals.get("legacy_members_deleted")
                            + second.totals().get("legacy_members_inserted")
                            - second.totals().get("legacy_members_deleted"));
        }
    }

    @Test
    void waitsForThePipelinesConsumerGroupBetweenAUsersPurchasesAndRedemptions(@TempDir final Path dir)
            throws Exception {
        final String group = "load-it-pipeline-" + suffix;
        final AtomicBoolean assigned = new AtomicBoolean();
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread pipeline = new Thread(() -> consumeAndCommit(group, assigned, stop), "fake-pipeline");
        pipeline.start();
        try {
            await().atMost(TIMEOUT).untilTrue(assigned);

            final Truth truth = LoadGenerator.run(
                    settings().with(Map.of("load.order.consumer-group", group)),
                    "--events",
                    "1500",
                    "--seed",
                    "3",
                    "--realtime-only",
                    "--truth",
                    dir.resolve("t.json").toString());

            assertThat(truth.run().complete()).isTrue();
            assertThat(truth.run().orderHeld()).isTrue();
            assertThat(truth.totals().get("redemptions_sent")).isPositive();
        } finally {
            stop.set(true);
            pipeline.join(TIMEOUT.toMillis());
        }
    }

    /** Stands in for edge-streams: reads both inputs in one group and commits after every poll. */
    private void consumeAndCommit(final String group, final AtomicBoolean assigned, final AtomicBoolean stop) {
        final Properties config = new Properties();
        config.putAll(KafkaClients.config(base));
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topics.purchases(), topics.redemptions()));
            while (!stop.get()) {
                consumer.poll(Duration.ofMillis(50));
                assigned.set(!consumer.assignment().isEmpty());
                consumer.commitSync();
            }
        }
        try {
            admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
        } catch (final Exception e) {
            throw new IllegalStateException("cannot delete consumer group " + group, e);
        }
    }

    private Settings settings() {
        return base.with(Map.of(
                "load.topic.purchases",
                topics.purchases(),
                "load.topic.redemptions",
                topics.redemptions(),
                "load.topic.promotions",
                topics.promotions(),
                "pg.legacy.database",
                database,
                // no pipeline reads these topics: never wait for one
                "load.order.consumer-group",
                "",
                "load.order.edge-host",
                "",
                // runs back to back: never plan ahead of the wall clock, whose records would be sent only as it
                // reaches them (the second run waits for the clock once instead)
                "load.max-ahead",
                "0s"));
    }

    @Test
    void theSurveyGivesEachPartitionNumberTheStreamTimeEdgeStreamsCounts() throws Exception {
        final Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.SECONDS);
        final Duration lead = base.requireDuration("load.rules.stream-time-max-lead");
        final Properties config = new Properties();
        config.putAll(KafkaClients.config(base));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            // partition 0: a purchase, then a later redemption on the same partition number of the other input
            producer.send(dated(topics.purchases(), 0, t, t));
            producer.send(dated(topics.redemptions(), 0, t.plusSeconds(300), t.plusSeconds(300)));
            // partition 2: dated two hours after it was produced, it counts only up to the lead past that
            producer.send(dated(topics.purchases(), 2, t.plus(Duration.ofHours(2)), t));
            producer.flush();
        }

        final TopicSurvey.Result survey = TopicSurvey.survey(
                KafkaClients.config(base), topics.purchases(), topics.redemptions(), topics.promotions(), lead);

        assertThat(survey.partitions()).isEqualTo(4);
        assertThat(survey.streamTimes()).isEqualTo(Map.of(0, t.plusSeconds(300), 2, t.plus(lead)));
        assertThat(survey.latestEventTime()).contains(t.plusSeconds(300));
    }

    /** A record the survey reads: it looks only at {@code event_time} and the record's timestamp. */
    private static ProducerRecord<String, String> dated(
            final String topic, final int partition, final Instant eventTime, final Instant producedAt) {
        return new ProducerRecord<>(
                topic, partition, producedAt.toEpochMilli(), "u-survey", "{\"event_time\":\"" + eventTime + "\"}");
    }

    private void sendEarlierPurchase(final Instant at) throws Exception {
        final Properties config = new Properties();
        config.putAll(KafkaClients.config(base));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            final PurchaseEvent purchase =
                    new PurchaseEvent("t-earlier-" + suffix, "u-earlier", new BigDecimal("5.00"), "USD", "s-1", at);
            producer.send(new ProducerRecord<>(topics.purchases(), "u-earlier", Json.toJson(purchase)))
                    .get(30, TimeUnit.SECONDS);
        }
    }

    /** Every record of a topic, read to its end offsets. */
    private List<ConsumerRecord<byte[], byte[]>> readAll(final String topic) {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (TopicReader reader = new TopicReader(KafkaClients.config(base), false)) {
            reader.read(topic, 0, records::add);
        }
        return records;
    }

    private Connection connect(final String db) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + base.require("pg.host") + ":" + base.require("pg.port") + "/" + db,
                base.require("pg.user"),
                base.require("pg.password"));
    }

    private static long count(final Connection connection, final String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
