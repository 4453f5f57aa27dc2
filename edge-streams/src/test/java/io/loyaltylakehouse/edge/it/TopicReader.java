package io.loyaltylakehouse.edge.it;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything committed to a topic so far, as a read_committed consumer (what downstream readers see) sees it. */
final class TopicReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    TopicReader(final String bootstrap, final Topic<String, ?> read) {
        final String topic = read.name();
        consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer());
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Every record committed up to now: polls until the position reaches the end (the last stable offset). */
    List<ConsumerRecord<String, String>> records() {
        final Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        final long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        do {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
        } while (end.entrySet().stream()
                        .anyMatch(partition -> consumer.position(partition.getKey()) < partition.getValue())
                && System.nanoTime() < deadline);
        return List.copyOf(records);
    }

    <T> List<T> values(final Class<T> type) {
        return records().stream()
                .map(record -> Json.fromJson(record.value(), type))
                .toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
