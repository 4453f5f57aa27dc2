package io.loyaltylakehouse.load.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the broker already holds that a run's ground truth depends on: the partition count of the input topics,
 * the promotions still in force (the pipeline applies them to this run's purchases too), and the latest event time
 * on the inputs (stream time survives restarts, so a run must start after it or everything would be late).
 */
public final class TopicSurvey {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How many of the newest records per partition are read to find the latest event time. */
    private static final int TAIL = 500;

    /** The result; {@code promotions} maps promo_id to the latest value, null for a withdrawal. */
    public record Result(int partitions, Map<String, byte[]> promotions, Optional<Instant> latestEventTime) {
    }

    private TopicSurvey() {
    }

    public static Result survey(final String bootstrap, final String purchases, final String redemptions,
            final String promotions) {
        final Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "load-generator-survey-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            final int partitions = partitions(consumer, purchases);
            final int redemptionPartitions = partitions(consumer, redemptions);
            if (partitions != redemptionPartitions) {
                throw new IllegalStateException(purchases + " has " + partitions + " partitions but " + redemptions
                        + " has " + redemptionPartitions + ": they must be co-partitioned");
            }
            final Map<String, byte[]> knownPromotions = new LinkedHashMap<>();
            readAll(consumer, promotions, 0, record -> {
                if (record.key() != null) {
                    knownPromotions.put(new String(record.key(), StandardCharsets.UTF_8), record.value());
                }
            });
            final Instant[] latest = {null};
            for (final String topic : List.of(purchases, redemptions)) {
                readAll(consumer, topic, TAIL, record -> {
                    final Instant eventTime = eventTime(record.value());
                    if (eventTime != null && (latest[0] == null || eventTime.isAfter(latest[0]))) {
                        latest[0] = eventTime;
                    }
                });
            }
            return new Result(partitions, knownPromotions, Optional.ofNullable(latest[0]));
        }
    }

    private static int partitions(final KafkaConsumer<byte[], byte[]> consumer, final String topic) {
        final List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist (start the stack with `make up`)");
        }
        return infos.size();
    }

    /** Reads a topic to its current end; {@code tail} > 0 reads only the newest records of each partition. */
    private static void readAll(final KafkaConsumer<byte[], byte[]> consumer, final String topic, final int tail,
            final java.util.function.Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        final List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        final Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
        for (final TopicPartition partition : partitions) {
            final long from = tail > 0 ? Math.max(begins.get(partition), ends.get(partition) - tail) : begins.get(partition);
            consumer.seek(partition, from);
        }
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("could not read " + topic + " to its end within " + TIMEOUT);
            }
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (record.offset() < ends.get(new TopicPartition(record.topic(), record.partition()))) {
                    handler.accept(record);
                }
            }
        }
        consumer.unsubscribe();
    }

    private static Instant eventTime(final byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            final JsonNode node = Json.MAPPER.readTree(value);
            final JsonNode time = node == null ? null : node.get("event_time");
            return time != null && time.isTextual() ? Instant.parse(time.asText()) : null;
        } catch (final java.io.IOException | java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
