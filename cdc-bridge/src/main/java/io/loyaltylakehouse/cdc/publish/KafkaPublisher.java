package io.loyaltylakehouse.cdc.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes with an idempotent {@code acks=all} producer and waits for every acknowledgement, so a record is
 * only ever reported as published once the broker's in-sync replicas hold it. The producer retries on its own
 * up to {@code delivery.timeout.ms}; past that the batch fails and the engine restarts from stored offsets.
 */
public final class KafkaPublisher implements Publisher {
    private final KafkaProducer<String, String> producer;

    public KafkaPublisher(final Properties producerProperties) {
        this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer());
    }

    @Override
    public void publishAll(final List<OutboundRecord> records) throws InterruptedException {
        final List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (final OutboundRecord record : records) {
            acks.add(producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())));
        }
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get();
            } catch (final ExecutionException e) {
                final OutboundRecord failed = records.get(i);
                throw new PublishException("Kafka did not acknowledge " + failed.topic() + " key " + failed.key()
                        + " (" + (i + 1) + " of " + records.size() + " in the batch): " + e.getCause(), e.getCause());
            }
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
