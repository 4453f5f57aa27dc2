package io.loyaltylakehouse.load;

import java.time.Instant;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Where the run's Kafka records go: the broker, or nowhere in a dry run. */
public interface EventSink extends AutoCloseable {

    /**
     * Sends asynchronously to {@code partition} (null: the default partitioner's choice) with {@code timestamp} as
     * the record's timestamp (when it was produced, the receiving clock the truth assumed; null: the producer's
     * clock); the future completes
     * when the broker acknowledged the record (null in a dry run).
     */
    Future<RecordMetadata> send(String topic, String key, Integer partition, Instant timestamp, byte[] value);

    /** Blocks until everything sent so far is acknowledged; fails if any send failed. */
    void flush();

    @Override
    void close();
}
