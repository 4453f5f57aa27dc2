package io.loyaltylakehouse.reconciler.sink;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead letters to Kafka, at least once (every checkpoint waits until the broker acknowledged what came before it),
 * and never a reason for the job to fail: a dead letter the broker refuses is logged with its coordinates and reason
 * and counted ({@code deadLettersNotWritten}), and the job goes on (issue 10). Flink's KafkaSink fails the job on
 * any refused record, which would restart the whole reconciler for a record that is itself only a report.
 */
public final class DeadLetterSink implements Sink<DeadLetter> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterSink.class);

    private final Properties kafkaClient;
    private final String topic;

    public DeadLetterSink(final Properties kafkaClient, final String topic) {
        this.kafkaClient = kafkaClient;
        this.topic = topic;
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(final WriterInitContext context) {
        final Properties config = new Properties();
        config.putAll(kafkaClient);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new Writer(
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer()),
                topic,
                context.metricGroup().counter("deadLettersNotWritten"));
    }

    /** Contract JSON, keyed by its source topic so one topic's failures stay together. */
    static ProducerRecord<byte[], byte[]> record(final String topic, final DeadLetter letter, final Long timestamp) {
        final byte[] key =
                letter.sourceTopic() == null ? null : letter.sourceTopic().getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestamp, key, Json.toBytes(letter));
    }

    static final class Writer implements SinkWriter<DeadLetter> {
        private final Producer<byte[], byte[]> producer;
        private final String topic;
        private final Counter notWritten;

        Writer(final Producer<byte[], byte[]> producer, final String topic, final Counter notWritten) {
            this.producer = producer;
            this.topic = topic;
            this.notWritten = notWritten;
        }

        @Override
        public void write(final DeadLetter letter, final Context context) {
            final ProducerRecord<byte[], byte[]> record = record(topic, letter, context.timestamp());
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    notWritten.inc();
                    LOG.error(
                            "dead letter for {}-{}@{} (sha256 {}) not written to {}: {}; it was refused for: {}",
                            letter.sourceTopic(),
                            letter.partition(),
                            letter.offset(),
                            letter.rawSha256(),
                            record.topic(),
                            error.toString(),
                            letter.error());
                }
            });
        }

        @Override
        public void flush(final boolean endOfInput) {
            producer.flush();
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
