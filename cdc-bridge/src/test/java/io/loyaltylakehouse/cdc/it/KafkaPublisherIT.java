package io.loyaltylakehouse.cdc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.cdc.config.CdcBridgeConfig;
import io.loyaltylakehouse.cdc.publish.KafkaPublisher;
import io.loyaltylakehouse.cdc.publish.OutboundRecord;
import io.loyaltylakehouse.cdc.testing.TopicTail;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

/** Against the test stack's broker: a record Kafka refuses as too large must not stall the bridge. */
class KafkaPublisherIT {
    private static final Settings ENV = Settings.load("cdc-bridge");

    @Test
    void aRecordTooLargeForKafkaBecomesABoundedDeadLetterAndTheBatchGoesOn() throws Exception {
        final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        final String ledger = "publisher_it_" + run + ".ledger";
        final String dlq = "publisher_it_" + run + ".dlq";
        final String bootstrap = ENV.require("kafka.bootstrap");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(ledger, 1, (short) 1), new NewTopic(dlq, 1, (short) 1)))
                    .all()
                    .get();
        }
        // a small producer limit stands for a broker whose message.max.bytes is below a record's size
        final Properties producer = CdcBridgeConfig.from(ENV.with(Map.of("cdc.producer.max.request.size", "20000")))
                .producerProperties();
        final String huge = "{\"full_name\":\"" + "x".repeat(50_000) + "\"}";
        try (KafkaPublisher publisher = new KafkaPublisher(producer, Topics.LEGACY_DLQ.named(dlq));
                TopicTail tail = new TopicTail(bootstrap, List.of(ledger, dlq))) {
            publisher.publishAll(List.of(
                    new OutboundRecord(ledger, "legacy-1", huge),
                    new OutboundRecord(ledger, "legacy-2", "{\"points\":5}")));

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                tail.poll();
                assertThat(tail.of(ledger)).extracting(record -> record.key()).containsExactly("legacy-2");
                assertThat(tail.of(dlq)).hasSize(1);
            });
            final DeadLetter letter = Json.fromJson(tail.of(dlq).get(0).value(), DeadLetter.class);
            assertThat(tail.of(dlq).get(0).key()).isEqualTo("legacy-1");
            assertThat(letter.error()).startsWith("record of 50016 bytes for " + ledger + " is too large for Kafka");
            assertThat(letter.rawLength()).isEqualTo(50_016);
            assertThat(letter.raw()).hasSize(DeadLetter.MAX_RAW_BYTES);
            assertThat(letter.sourceTopic()).isEqualTo(ledger);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.deleteTopics(List.of(ledger, dlq)).all().get();
        }
    }
}
