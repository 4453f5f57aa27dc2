package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka plumbing the benchmarks share: topics, a fast producer, consumers, committed progress. */
final class BenchKafka implements AutoCloseable {
    private final Map<String, Object> kafka;
    private final Admin admin;

    /** A short id that keeps one benchmark run's topics, groups and tables apart from every other run's. */
    static String newRunId() {
        return java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    /** {@code bench_<run>_<name>}: a topic of one run. */
    static String topicName(final String run, final String name) {
        return "bench_" + run + "_" + name;
    }

    /** The benchmarks' Kafka: {@code kafka.bootstrap} and the client security ({@code kafka.client.*}). */
    BenchKafka(final Settings settings) {
        this.kafka = KafkaClients.config(settings);
        this.admin = Admin.create(kafka);
    }

    /**
     * Creates the topics and returns once every partition's leader answers as leader. A producer that writes to a
     * new topic before that gets NOT_LEADER_OR_FOLLOWER, and an idempotent one was seen to retry its next batch with
     * OUT_OF_ORDER_SEQUENCE_NUMBER for good after it; listing end offsets goes to the leader and is retried by the
     * admin client until the leader takes it.
     */
    void createTopics(final Collection<String> names, final int partitions) throws Exception {
        admin.createTopics(names.stream()
                        .map(name -> new NewTopic(name, partitions, (short) 1))
                        .toList())
                .all()
                .get(60, TimeUnit.SECONDS);
        final Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        names.forEach(name -> {
            for (int partition = 0; partition < partitions; partition++) {
                ends.put(new TopicPartition(name, partition), OffsetSpec.latest());
            }
        });
        admin.listOffsets(ends).all().get(60, TimeUnit.SECONDS);
    }

    void deleteTopics(final Collection<String> names) throws Exception {
        admin.deleteTopics(names).all().get(60, TimeUnit.SECONDS);
    }

    /** Idempotent, acks=all: the settings every component of the product uses. */
    KafkaProducer<byte[], byte[]> producer() {
        final Properties config = new Properties();
        config.putAll(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 131072);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    KafkaConsumer<byte[], byte[]> consumer(final String group, final boolean readCommitted) {
        final Properties config = new Properties();
        config.putAll(kafka);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Produces the records and waits for every ack. */
    void produceAll(final String topic, final List<byte[][]> keyValues) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (final byte[][] keyValue : keyValues) {
                producer.send(new ProducerRecord<>(topic, keyValue[0], keyValue[1]));
            }
            producer.flush();
        }
    }

    /** Records of {@code topic} a consumer group has committed past. */
    long committed(final String group, final String topic) throws Exception {
        final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS);
        return offsets.entrySet().stream()
                .filter(entry -> entry.getKey().topic().equals(topic) && entry.getValue() != null)
                .mapToLong(entry -> entry.getValue().offset())
                .sum();
    }

    /** Records of {@code topic} a read_committed consumer can see (the sum of its partitions' last stable offsets). */
    long visibleRecords(final String topic) {
        try {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(10, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .forEach(partition ->
                            latest.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
            return admin
                    .listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                    .all()
                    .get(10, TimeUnit.SECONDS)
                    .values()
                    .stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (final Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
