package io.loyaltylakehouse.load.kafka;

import io.loyaltylakehouse.load.EventSink;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One idempotent {@code acks=all} producer: per-partition order is what the oracle replays, so there is exactly one
 * producer and a failed send stops the run instead of leaving a gap.
 */
public final class KafkaEventSink implements EventSink {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaEventSink(final String bootstrap, final Properties producerSettings) {
        final Properties config = new Properties();
        config.putAll(producerSettings);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "load-generator");
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(config);
    }

    @Override
    public Future<RecordMetadata> send(
            final String topic,
            final String key,
            final Integer partition,
            final Instant timestamp,
            final byte[] value) {
        throwIfFailed();
        return producer.send(
                new ProducerRecord<>(
                        topic,
                        partition,
                        timestamp == null ? null : timestamp.toEpochMilli(),
                        key.getBytes(StandardCharsets.UTF_8),
                        value),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
    }

    @Override
    public void flush() {
        producer.flush();
        throwIfFailed();
    }

    private void throwIfFailed() {
        final Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("a send failed, the run stops here: " + error.getMessage(), error);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
