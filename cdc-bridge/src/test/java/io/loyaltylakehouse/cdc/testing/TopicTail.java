package io.loyaltylakehouse.cdc.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Everything ever written to some topics, read from the beginning of every partition (no consumer group). */
public final class TopicTail implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, List<ConsumerRecord<String, String>>> records = new ConcurrentHashMap<>();

    public TopicTail(final String bootstrap, final List<String> topics) {
        final Properties props = new Properties();
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.setProperty(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        final List<TopicPartition> partitions = topics.stream()
                .flatMap(topic ->
                        consumer.partitionsFor(topic).stream().map(info -> new TopicPartition(topic, info.partition())))
                .collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        topics.forEach(topic -> records.put(topic, new ArrayList<>()));
    }

    /** Reads what arrived since the last call. */
    public TopicTail poll() {
        consumer.poll(Duration.ofMillis(200))
                .forEach(record -> records.get(record.topic()).add(record));
        return this;
    }

    /** A topic's records in arrival order (per partition, this is the order they were written in). */
    public List<ConsumerRecord<String, String>> of(final String topic) {
        return List.copyOf(records.get(topic));
    }

    @Override
    public void close() {
        consumer.close();
    }
}
