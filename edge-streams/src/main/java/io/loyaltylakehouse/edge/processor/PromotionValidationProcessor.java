package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.validation.InputValidator;
import io.loyaltylakehouse.edge.validation.Validated;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Dead-letters invalid {@code promotions} records. Valid ones are applied by {@link PromotionStoreUpdater} on
 * every instance's global store; both use the same {@link InputValidator} rule, so they agree.
 */
public final class PromotionValidationProcessor implements FixedKeyProcessor<String, byte[], DeadLetter> {
    private final InputValidator validator;
    private final EdgeCounters counters;
    private FixedKeyProcessorContext<String, DeadLetter> context;

    public PromotionValidationProcessor(final InputValidator validator, final EdgeCounters counters) {
        this.validator = requireNonNull(validator, "validator is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, DeadLetter> context) {
        this.context = context;
    }

    @Override
    public void process(final FixedKeyRecord<String, byte[]> record) {
        if (InputValidator.isTombstone(record.key(), record.value())) {
            return;
        }
        final Validated<Promotion> promotion = validator.promotion(record.key(), record.value());
        if (promotion instanceof Validated.Invalid<Promotion> invalid) {
            final RecordMetadata source = context.recordMetadata().orElseThrow();
            counters.deadLettered(source.topic(), invalid.reason());
            final Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
            context.forward(record.withTimestamp(InputValidationProcessor.writableTimestamp(record.timestamp(), now))
                    .withValue(DeadLetter.of(
                            record.value(),
                            invalid.reason(),
                            source.topic(),
                            source.partition(),
                            source.offset(),
                            now)));
        }
    }
}
