package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.edge.validation.InputValidator;
import io.loyaltylakehouse.edge.validation.Validated;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global promotions store equal to the compacted {@code promotions} topic minus what has expired: a valid
 * promotion is put, a tombstone withdraws it, and promotions that ended more than {@code retention} ago (on the wall
 * clock) leave the store whenever a promotion record is applied, at startup included. Invalid records are left out
 * here (dead-lettered by {@link PromotionValidationProcessor}).
 */
public final class PromotionStoreUpdater implements Processor<String, byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(PromotionStoreUpdater.class);

    private final InputValidator validator;
    private final Duration retention;
    private final PromotionsApplied applied;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, Promotion> promotions;

    public PromotionStoreUpdater(
            final InputValidator validator, final Duration retention, final PromotionsApplied applied) {
        this.validator = requireNonNull(validator, "validator is null");
        this.retention = requireNonNull(retention, "retention is null");
        this.applied = requireNonNull(applied, "applied is null");
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        this.context = context;
        promotions = context.getStateStore(PromotionStore.NAME);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        final Instant expiredBefore =
                Instant.ofEpochMilli(context.currentSystemTimeMs()).minus(retention);
        if (InputValidator.isTombstone(record.key(), record.value())) {
            if (PromotionStore.withdraw(promotions, record.key()) != null) {
                LOG.info("Promotion {} withdrawn", record.key());
            }
        } else if (validator.promotion(record.key(), record.value()) instanceof Validated.Valid<Promotion> valid) {
            final Promotion promotion = valid.value();
            if (promotion.endsAt().isBefore(expiredBefore)) {
                // An update may shorten a promotion: whatever was stored under its id goes.
                PromotionStore.withdraw(promotions, promotion.promoId());
            } else {
                PromotionStore.put(promotions, promotion);
                LOG.info(
                        "Promotion {} active: x{} store={} from {} until {}",
                        promotion.promoId(),
                        promotion.multiplier(),
                        promotion.storeId(),
                        promotion.startsAt(),
                        promotion.endsAt());
            }
        }
        final int expired = PromotionStore.expire(promotions, expiredBefore);
        if (expired > 0) {
            LOG.info("{} promotions ended before {} left the store", expired, expiredBefore);
        }
        context.recordMetadata().ifPresent(source -> applied.applied(source.partition(), source.offset()));
    }
}
