package io.loyaltylakehouse.load;

import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Where the run's Kafka records go: the broker, or nowhere in a dry run. */
public interface EventSink extends AutoCloseable {

    /**
     * Sends asynchronously to {@code partition} (null: the default partitioner's choice); the future completes when
     * the broker acknowledged the record (null in a dry run).
     */
    Future<RecordMetadata> send(String topic, String key, Integer partition, byte[] value);

    /** Blocks until everything sent so far is acknowledged; fails if any send failed. */
    void flush();

    @Override
    void close();
}
