package io.loyaltylakehouse.cdc.publish;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes with an idempotent {@code acks=all} producer and waits for every acknowledgement, so a record is
 * only ever reported as published once the broker's in-sync replicas hold it. The producer retries on its own
 * up to {@code delivery.timeout.ms}; past that the batch fails and the engine restarts from stored offsets.
 * <p>
 * A record too large for the producer or the broker (a legacy row with a 2 MB column, say) would fail the same
 * way on every retry and stall the slot: it is replaced by a bounded dead letter ({@link DeadLetter#of}) so the
 * batch goes on. If even that cannot be written, its coordinates and reason are logged and the batch goes on.
 */
public final class KafkaPublisher implements Publisher {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaPublisher.class);

    private final KafkaProducer<String, String> producer;
    private final Topic<String, DeadLetter> deadLetterTopic;

    public KafkaPublisher(final Properties producerProperties, final Topic<String, DeadLetter> deadLetterTopic) {
        this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new StringSerializer());
        this.deadLetterTopic = deadLetterTopic;
    }

    @Override
    public void publishAll(final List<OutboundRecord> records) throws InterruptedException {
        final List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (final OutboundRecord record : records) {
            acks.add(producer.send(new ProducerRecord<>(record.topic(), record.key(), record.value())));
        }
        for (int i = 0; i < acks.size(); i++) {
            final OutboundRecord record = records.get(i);
            try {
                acks.get(i).get();
            } catch (final ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    deadLetterTooLarge(record, e.getCause());
                    continue;
                }
                throw new PublishException(
                        "Kafka did not acknowledge " + record.topic() + " key " + record.key() + " (" + (i + 1) + " of "
                                + records.size() + " in the batch): " + e.getCause(),
                        e.getCause());
            }
        }
    }

    private void deadLetterTooLarge(final OutboundRecord record, final Throwable cause) throws InterruptedException {
        final int bytes = record.value() == null ? 0 : record.value().getBytes(StandardCharsets.UTF_8).length;
        final String reason = "record of " + bytes + " bytes for " + record.topic() + " is too large for Kafka: "
                + cause.getMessage();
        final DeadLetter letter = DeadLetter.of(record.value(), reason, record.topic(), -1, -1, Instant.now());
        try {
            final OutboundRecord deadLetter = OutboundRecord.of(deadLetterTopic, record.key(), letter);
            producer.send(new ProducerRecord<>(deadLetter.topic(), deadLetter.key(), deadLetter.value()))
                    .get();
            LOG.warn("Dead-lettered {} key {}: {}", record.topic(), record.key(), reason);
        } catch (final ExecutionException e) {
            LOG.error(
                    "Dropped {} key {} ({}): its dead letter could not be written either: {}",
                    record.topic(),
                    record.key(),
                    reason,
                    e.getCause().toString());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
