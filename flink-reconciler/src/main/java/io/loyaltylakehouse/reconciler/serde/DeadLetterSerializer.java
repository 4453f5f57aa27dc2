package io.loyaltylakehouse.reconciler.serde;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Writes a dead letter as contract JSON, keyed by its source topic so one topic's failures stay together. */
public class DeadLetterSerializer implements KafkaRecordSerializationSchema<DeadLetter> {
    private static final long serialVersionUID = 1L;

    private final String topic;

    public DeadLetterSerializer(final String topic) {
        this.topic = topic;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(
            final DeadLetter letter, final KafkaSinkContext context, final Long timestamp) {
        final byte[] key =
                letter.sourceTopic() == null ? null : letter.sourceTopic().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestamp, key, Json.toBytes(letter));
    }
}
