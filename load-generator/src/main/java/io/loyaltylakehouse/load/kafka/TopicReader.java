package io.loyaltylakehouse.load.kafka;

import io.loyaltylakehouse.common.topic.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads a topic from its beginning (or its newest records) up to the end it had when reading started. */
public final class TopicReader implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaConsumer<byte[], byte[]> consumer;

    /** A consumer outside any group; {@code readCommitted} skips aborted and open transactions. */
    public TopicReader(final Map<String, Object> kafka, final boolean readCommitted) {
        final Properties config = new Properties();
        config.putAll(kafka);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "load-generator-reader-" + UUID.randomUUID());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(config);
    }

    /** The topic's partition count, 0 if it does not exist. */
    public int partitions(final String topic) {
        return consumer.partitionsFor(topic, TIMEOUT).size();
    }

    /** Every record of the topic; {@code tail} > 0 reads only the newest {@code tail} records of each partition. */
    public void read(final String topic, final int tail, final Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        final List<TopicPartition> partitions = consumer.partitionsFor(topic, TIMEOUT).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .toList();
        consumer.assign(partitions);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
        final Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, TIMEOUT);
        for (final TopicPartition partition : partitions) {
            consumer.seek(
                    partition,
                    tail > 0 ? Math.max(begins.get(partition), ends.get(partition) - tail) : begins.get(partition));
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

    /** Every value of {@code topic} up to its end now, read with the topic's serdes; tombstones are skipped. */
    public <V> void readValues(final Topic<String, V> topic, final Consumer<V> values) {
        read(topic.name(), 0, record -> {
            if (record.value() != null) {
                values.accept(topic.value(record.value()));
            }
        });
    }

    @Override
    public void close() {
        consumer.close();
    }
}
