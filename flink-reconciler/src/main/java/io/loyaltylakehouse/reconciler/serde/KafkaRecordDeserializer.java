package io.loyaltylakehouse.reconciler.serde;

import io.loyaltylakehouse.reconciler.records.KafkaRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Hands every Kafka record on as raw bytes with its coordinates; it cannot fail, parsing comes later. */
public class KafkaRecordDeserializer implements KafkaRecordDeserializationSchema<KafkaRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(final ConsumerRecord<byte[], byte[]> record, final Collector<KafkaRecord> out) {
        out.collect(new KafkaRecord(
                record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.timestamp()));
    }

    @Override
    public TypeInformation<KafkaRecord> getProducedType() {
        return TypeInformation.of(KafkaRecord.class);
    }
}
