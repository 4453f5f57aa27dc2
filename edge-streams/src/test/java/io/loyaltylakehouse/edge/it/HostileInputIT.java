package io.loyaltylakehouse.edge.it;

import static io.loyaltylakehouse.edge.EdgeFixtures.promotion;
import static io.loyaltylakehouse.edge.EdgeFixtures.purchase;
import static io.loyaltylakehouse.edge.EdgeFixtures.redemption;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.topic.Topic;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The hostile-input corpus of issue 10 through the real broker: each record gives a dead letter with a reason, a
 * normal record sent after it is processed, dead letters stay small whatever the input, and the instance never dies.
 */
class HostileInputIT extends EdgeStreamsItBase {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int MB = 1024 * 1024;

    /** One hostile record: where it goes, its bytes, and what its dead letter's reason must say. */
    private record Hostile(String name, String topic, byte[] key, byte[] value, String reason) {}

    @Test
    void everyHostileRecordIsDeadLetteredWithAReasonAndProcessingGoesOn() throws Exception {
        final Instant now = Instant.now();
        final EdgeProcess edge = startInstance("state", "edge.log");
        final String ok = purchase("t-x", "u-x", "10.00", "s-1", now);
        final List<Hostile> corpus = List.of(
                new Hostile(
                        "3 MB currency, zstd",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes(ok.replace("\"USD\"", "\"" + "U".repeat(3 * MB) + "\"")),
                        "more than the 8192 allowed"),
                new Hostile(
                        "900 KB user_id (and key)",
                        topics.purchaseEvents().name(),
                        bytes("u".repeat(900 * 1024)),
                        bytes(ok.replace("\"u-x\"", "\"" + "u".repeat(900 * 1024) + "\"")),
                        "more than the 8192 allowed"),
                new Hostile(
                        "20,000 levels of nesting",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)),
                        "more than the 8192 allowed"),
                new Hostile(
                        "1,000 levels of nesting",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes("[".repeat(1000) + "]".repeat(1000)),
                        "nesting depth"),
                new Hostile(
                        "escaped NUL in an id",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes(ok.replace("\"t-x\"", "\"t-\\u0000x\"")),
                        "transaction_id must not contain control characters"),
                new Hostile(
                        "raw NUL in an id",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes(ok.replace("\"t-x\"", "\"t-\u0000x\"")),
                        "not valid JSON"),
                new Hostile(
                        "broken UTF-8 in an id",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        brokenUtf8(ok.replace("\"t-x\"", "\"t-@@\"")),
                        "not valid JSON"),
                new Hostile(
                        "a JSON array",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes("[{\"transaction_id\":\"t\"}]"),
                        "not a JSON object"),
                new Hostile(
                        "amount 1e400",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes(ok.replace("\"10.00\"", "1e400")),
                        "amount must be <= 1000000, got 1E+400"),
                new Hostile(
                        "trailing white space in an id",
                        topics.purchaseEvents().name(),
                        bytes("u-1"),
                        bytes(ok.replace("\"t-x\"", "\"t-x \"")),
                        "transaction_id must not start or end with white space"),
                new Hostile(
                        "20-digit points",
                        topics.redemptionEvents().name(),
                        bytes("u-1"),
                        bytes(redemption("r-x", "u-1", 1, now)
                                .replace("\"points\":1", "\"points\":12345678901234567890")),
                        "points must be a whole number, got 12345678901234567890"),
                new Hostile(
                        "negative points",
                        topics.redemptionEvents().name(),
                        bytes("u-1"),
                        bytes(redemption("r-y", "u-1", -5, now)),
                        "points must be > 0, got -5"),
                new Hostile(
                        "multiplier 1e9",
                        topics.promotions().name(),
                        bytes("p-1"),
                        bytes(promotion("p-1", 1, null, now, now.plusSeconds(60))
                                .replace("\"multiplier\":1", "\"multiplier\":1e9")),
                        "multiplier must be a whole number from 1 to 1000"));

        try (KafkaProducer<byte[], byte[]> hostile = hostileProducer();
                TopicReader ledger = new TopicReader(bootstrap, topics.pointsLedger());
                TopicReader purchaseDlq = new TopicReader(bootstrap, Topics.deadLettersOf(topics.purchaseEvents()));
                TopicReader redemptionDlq =
                        new TopicReader(bootstrap, Topics.deadLettersOf(topics.redemptionEvents()));
                TopicReader promotionDlq = new TopicReader(bootstrap, Topics.deadLettersOf(topics.promotions()))) {
            final List<String> normal = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) {
                final Hostile record = corpus.get(i);
                hostile.send(new ProducerRecord<>(record.topic(), 0, record.key(), record.value()))
                        .get();
                // a normal record right behind it, on the same partition
                sendTo(topics.purchaseEvents(), 0, "u-ok", purchase("ok-" + i, "u-ok", "1", "s-1", now));
                flush();
                normal.add("ok-" + i);
            }
            await("every normal record processed")
                    .atMost(WAIT)
                    .untilAsserted(() -> assertThat(ledger.values(LedgerEntry.class))
                            .extracting(LedgerEntry::businessKey)
                            .containsExactlyElementsOf(normal));
            await("every hostile record dead-lettered").atMost(WAIT).untilAsserted(() -> {
                assertThat(purchaseDlq.records()).hasSize(10);
                assertThat(redemptionDlq.records()).hasSize(2);
                assertThat(promotionDlq.records()).hasSize(1);
            });
            final List<ConsumerRecord<String, String>> deadLetters = new ArrayList<>(purchaseDlq.records());
            deadLetters.addAll(redemptionDlq.records());
            deadLetters.addAll(promotionDlq.records());
            for (int i = 0; i < corpus.size(); i++) {
                final Hostile record = corpus.get(i);
                final ConsumerRecord<String, String> written = deadLetters.get(i);
                final DeadLetter deadLetter =
                        io.loyaltylakehouse.common.json.Json.fromJson(written.value(), DeadLetter.class);
                assertThat(deadLetter.error()).as(record.name()).contains(record.reason());
                assertThat(deadLetter.rawLength()).as(record.name()).isEqualTo(record.value().length);
                assertThat(written.value().length())
                        .as(record.name() + ": dead letter size")
                        .isLessThan(64 * 1024);
                assertThat(written.key() == null ? 0 : written.key().length())
                        .as(record.name() + ": key")
                        .isLessThanOrEqualTo(256);
            }
            assertThat(edge.isAlive()).as("never died").isTrue();
            assertThat(edge.get("/health").statusCode()).isEqualTo(200);
            // Every hostile purchase is counted by reason on its topic (the /metrics page is the Prometheus format).
            final String topic = "topic=\"" + topics.purchaseEvents().name() + "\"";
            assertThat(edge.get("/metrics")
                            .body()
                            .lines()
                            .filter(line -> line.startsWith("edge_dead_letters_total{") && line.contains(topic))
                            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                            .sum())
                    .isEqualTo(10.0);
        }
    }

    @Test
    void deadLettersFitTheirTopicsLimitOrAreLoggedAndCountedAndProcessingGoesOn() throws Exception {
        final Instant now = Instant.now();
        final Topic<String, DeadLetter> purchaseDlq = Topics.deadLettersOf(topics.purchaseEvents());
        final Topic<String, DeadLetter> redemptionDlq = Topics.deadLettersOf(topics.redemptionEvents());
        // Topics configured far below Kafka's default limit: an 8 KiB dead letter cannot be written to the first,
        // and no dead letter at all to the second. Were it sent, the broker's refusal would abort the transaction.
        admin.incrementalAlterConfigs(Map.of(
                        new ConfigResource(ConfigResource.Type.TOPIC, purchaseDlq.name()),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2048"),
                                        AlterConfigOp.OpType.SET)),
                        new ConfigResource(ConfigResource.Type.TOPIC, redemptionDlq.name()),
                                List.of(new AlterConfigOp(
                                        new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1200"),
                                        AlterConfigOp.OpType.SET))))
                .all()
                .get();
        final EdgeProcess edge = startInstance("state", "edge.log");
        final String junk = "{\"junk\":\"" + "x".repeat(7000) + "\"";
        try (TopicReader ledger = new TopicReader(bootstrap, topics.pointsLedger());
                TopicReader purchaseDeadLetters = new TopicReader(bootstrap, purchaseDlq);
                TopicReader redemptionDeadLetters = new TopicReader(bootstrap, redemptionDlq)) {
            sendTo(topics.purchaseEvents(), 0, "u-1", junk);
            sendTo(topics.redemptionEvents(), 0, "u-1", redemption("r-1", "u-1", -1, now));
            sendTo(topics.purchaseEvents(), 0, "u-1", "{not json");
            sendTo(topics.purchaseEvents(), 0, "u-ok", purchase("ok-1", "u-ok", "1", "s-1", now));
            flush();
            await("normal record processed")
                    .atMost(WAIT)
                    .untilAsserted(() -> assertThat(ledger.values(LedgerEntry.class))
                            .extracting(LedgerEntry::businessKey)
                            .containsExactly("ok-1"));
            await("dead letters")
                    .atMost(WAIT)
                    .untilAsserted(() -> assertThat(purchaseDeadLetters.values(DeadLetter.class))
                            .hasSize(2));
            final List<DeadLetter> written = purchaseDeadLetters.values(DeadLetter.class);
            assertThat(written.get(0).raw()).as("written without its raw value").isNull();
            assertThat(written.get(0).rawLength()).isEqualTo(junk.length());
            assertThat(written.get(0).rawSha256()).hasSize(64);
            assertThat(written.get(0).error()).startsWith("not valid JSON");
            assertThat(written.get(1).raw()).isEqualTo("{not json");
            assertThat(redemptionDeadLetters.records()).isEmpty();
            assertThat(edge.isAlive()).as("never died").isTrue();
            assertThat(edge.get("/metrics").body())
                    .contains("edge_dead_letter_write_failed_total{topic=\"" + redemptionDlq.name() + "\"} 1");
        }
    }

    private static KafkaProducer<byte[], byte[]> hostileProducer() {
        // zstd: 3 MB of one letter is a few hundred bytes on the wire, under the broker's 1 MB limit.
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "zstd",
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        16 * MB,
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        64L * MB),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code @@} replaced by 0xC3 0x28: a UTF-8 lead byte followed by a byte that cannot continue it. */
    private static byte[] brokenUtf8(final String text) {
        final int at = text.indexOf("@@");
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(bytes(text.substring(0, at)));
        out.write(0xC3);
        out.write(0x28);
        out.writeBytes(bytes(text.substring(at + 2)));
        return out.toByteArray();
    }
}
