package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.edge.validation.InputValidator;
import io.loyaltylakehouse.edge.validation.Validated;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the global promotions store equal to the compacted {@code promotions} topic: a valid promotion is put,
 * a tombstone withdraws it. Invalid records are left out here (dead-lettered by {@link PromotionValidationProcessor}).
 */
public final class PromotionStoreUpdater implements Processor<String, byte[], Void, Void> {
    public static final String PROMOTIONS_STORE = "promotions";
    private static final Logger LOG = LoggerFactory.getLogger(PromotionStoreUpdater.class);

    private final InputValidator validator;
    private KeyValueStore<String, Promotion> promotions;

    public PromotionStoreUpdater(final InputValidator validator) {
        this.validator = requireNonNull(validator, "validator is null");
    }

    @Override
    public void init(final ProcessorContext<Void, Void> context) {
        promotions = context.getStateStore(PROMOTIONS_STORE);
    }

    @Override
    public void process(final Record<String, byte[]> record) {
        if (InputValidator.isTombstone(record.key(), record.value())) {
            if (promotions.delete(record.key()) != null) {
                LOG.info("Promotion {} withdrawn", record.key());
            }
        } else if (validator.promotion(record.key(), record.value()) instanceof Validated.Valid<Promotion> valid) {
            promotions.put(valid.value().promoId(), valid.value());
            LOG.info("Promotion {} active: x{} store={} from {} until {}", valid.value().promoId(),
                    valid.value().multiplier(), valid.value().storeId(), valid.value().startsAt(), valid.value().endsAt());
        }
    }
}
