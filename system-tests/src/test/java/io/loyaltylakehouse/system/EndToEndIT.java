package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.load.oracle.Truth;
import io.loyaltylakehouse.stack.ModuleCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product, driven only through the contract: {@code make load} with ground truth (real-time and
 * legacy traffic together), then the real-time balances on Kafka, every user's {@code sum(points)} in
 * {@code iceberg.loyalty.points_ledger} read through Trino as {@code analyst}, and the audit's counts must
 * equal what the generator planted. The stack runs with no legacy demo data, so the tables hold only this run.
 */
class EndToEndIT {
    private static final Duration SETTLE = Duration.ofMinutes(6);

    @TempDir
    static Path workDir;
    static Truth truth;

    @BeforeAll
    static void load() throws Exception {
        final Path truthFile = workDir.resolve("truth.json");
        final List<String> command = new java.util.ArrayList<>(ModuleCommand.of(Path.of("..").toAbsolutePath().normalize(),
                "load-generator", "load-generator", "io.loyaltylakehouse.load.LoadGenerator", "512m").orElseThrow());
        command.addAll(List.of("--events", "4000", "--seed", "11", "--rate", "0", "--truth", truthFile.toString(),
                "--run-id", "e2e" + UUID.randomUUID().toString().substring(0, 6)));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("load.log").toFile()).start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(workDir.resolve("load.log"))).isZero();
        truth = Json.fromBytes(Files.readAllBytes(truthFile), Truth.class);
        assertThat(truth.run().complete()).isTrue();
    }

    @Test
    void realtimeBalancesEqualTheGroundTruth() {
        final Map<String, Long> expected = truth.users().entrySet().stream()
                .filter(user -> user.getValue().realtimeEntries() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, user -> user.getValue().realtimeBalance()));
        final Map<String, Long> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = balanceConsumer()) {
            consumer.subscribe(List.of("loyalty_points_realtime"));
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        seen.put(record.key(), Json.fromBytes(record.value(), BalanceUpdate.class).balance());
                    }
                }
                assertThat(seen).containsAllEntriesOf(expected);
            });
        }
    }

    @Test
    void unifiedLedgerInTrinoEqualsTheGroundTruth() throws Exception {
        final Map<String, String> expected = truth.users().entrySet().stream()
                .filter(user -> user.getValue().ledgerEntries() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey,
                        user -> user.getValue().ledgerBalance() + "/" + user.getValue().ledgerEntries()));
        final String users = expected.keySet().stream().map(user -> "'" + user + "'").collect(Collectors.joining(","));
        try (Connection analyst = Lakehouse.trino("analyst")) {
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
                final Map<String, String> actual = Lakehouse.query(analyst,
                        "SELECT user_id, sum(points), count(*) FROM iceberg.loyalty.points_ledger WHERE user_id IN ("
                                + users + ") GROUP BY user_id").stream()
                        .collect(Collectors.toMap(row -> row.get(0), row -> row.get(1) + "/" + row.get(2)));
                assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
            });
        }
    }

    @Test
    void auditCountsMatchWhatTheGeneratorPlanted() throws Exception {
        final Map<String, String> expected = truth.audit().entrySet().stream()
                .filter(resolution -> resolution.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, resolution -> Long.toString(resolution.getValue())));
        try (Connection analyst = Lakehouse.trino("analyst")) {
            await().atMost(SETTLE).pollInterval(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(Lakehouse.query(analyst, "SELECT resolution, count(*) FROM "
                            + "iceberg.loyalty.reconciliation_audit GROUP BY resolution").stream()
                            .collect(Collectors.toMap(row -> row.get(0), row -> row.get(1))))
                            .containsExactlyInAnyOrderEntriesOf(expected));
        }
    }

    private static KafkaConsumer<String, byte[]> balanceConsumer() {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Lakehouse.kafkaBootstrap());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
