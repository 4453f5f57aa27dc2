package io.loyaltylakehouse.reconciler.source;

import io.loyaltylakehouse.reconciler.ReconcilerPipeline;
import io.loyaltylakehouse.reconciler.config.ReconcilerConfig;
import io.loyaltylakehouse.reconciler.records.KafkaRecord;
import io.loyaltylakehouse.reconciler.serde.KafkaRecordDeserializer;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * One Kafka source per input topic. Offsets live in Flink's checkpoints (exactly-once); the consumer group
 * only shows progress and picks the start of a job that has no checkpoint. Topics and partitions that appear
 * later are discovered within {@link #PARTITION_DISCOVERY} and read from their start. Only committed transactions are
 * read, so an aborted edge-streams transaction never reaches the lakehouse.
 */
public final class KafkaInputs implements ReconcilerPipeline.Inputs {
    private static final Duration PARTITION_DISCOVERY = Duration.ofSeconds(10);

    private final ReconcilerConfig config;

    public KafkaInputs(final ReconcilerConfig config) {
        this.config = config;
    }

    @Override
    public DataStream<KafkaRecord> open(
            final StreamExecutionEnvironment env,
            final ReconcilerPipeline.Input input,
            final WatermarkStrategy<KafkaRecord> watermarks) {
        final String topic = topicOf(input);
        final String name = input.name().toLowerCase(Locale.ROOT).replace('_', '-');
        final KafkaSource<KafkaRecord> source = KafkaSource.<KafkaRecord>builder()
                .setProperties(config.kafkaClient())
                // a pattern, not a name: a topic that does not exist yet is picked up when it appears
                .setTopicPattern(Pattern.compile(Pattern.quote(topic)))
                .setGroupId(config.kafkaGroupId())
                .setClientIdPrefix(config.kafkaGroupId() + "-" + name)
                .setStartingOffsets(startingOffsets())
                .setDeserializer(new KafkaRecordDeserializer())
                .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .setProperty("partition.discovery.interval.ms", String.valueOf(PARTITION_DISCOVERY.toMillis()))
                .build();
        return env.fromSource(source, watermarks, "kafka " + topic).uid("source-" + name);
    }

    String topicOf(final ReconcilerPipeline.Input input) {
        final ReconcilerConfig.InputTopics topics = config.topics();
        return switch (input) {
            case POINTS_LEDGER -> topics.pointsLedger().name();
            case LEGACY_LEDGER_CHANGES -> topics.legacyLedgerChanges().name();
            case LEGACY_MEMBERS -> topics.legacyMembers().name();
            case FRAUD_ALERTS -> topics.fraudAlerts().name();
            case LATE_EVENTS -> topics.lateEvents().name();
        };
    }

    private OffsetsInitializer startingOffsets() {
        return switch (config.startingOffsets()) {
            case COMMITTED -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case EARLIEST -> OffsetsInitializer.earliest();
            case LATEST -> OffsetsInitializer.latest();
        };
    }
}
