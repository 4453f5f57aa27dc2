package io.loyaltylakehouse.edge.topology;

import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.processor.PromotionValidationProcessor;
import io.loyaltylakehouse.edge.serde.DeadLetterSerde;
import io.loyaltylakehouse.edge.validation.InputValidator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * Dead-letters invalid {@code promotions} records (CONTRACT 4.6). It runs as its own small Kafka Streams
 * application (own application id) because {@link PointsAccrualTopology} reads the topic into a global store,
 * and Kafka Streams neither lets one topology read a topic twice nor lets a global store write dead letters.
 */
public final class PromotionDeadLetterTopology {
    private PromotionDeadLetterTopology() {}

    public static Topology build(
            final EdgeStreamsConfig config, final EdgeCounters counters, final DeadLetterLimits limits) {
        final EdgeTopics topics = config.topics();
        final InputValidator validator = new InputValidator(config.maxFutureSkew());
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        topics.promotions().name(),
                        PointsAccrualTopology.rawInput().withName("promotions-source"))
                .processValues(
                        () -> new PromotionValidationProcessor(validator, counters), Named.as("promotion-validation"))
                .map(
                        (key, deadLetter) -> KeyValue.pair(PointsAccrualTopology.deadLetterKey(key), deadLetter),
                        Named.as("dead-letter-key"))
                .to(
                        Topics.deadLetterOf(topics.promotions().name()),
                        Produced.with(Serdes.String(), new DeadLetterSerde(limits))
                                .withName("dead-letter-sink"));
        return builder.build();
    }
}
