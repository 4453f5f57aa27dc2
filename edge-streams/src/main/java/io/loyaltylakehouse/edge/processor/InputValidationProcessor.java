package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.edge.accrual.PartitionStreamTime;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.model.AccountEvent;
import io.loyaltylakehouse.edge.model.InputRecord;
import io.loyaltylakehouse.edge.model.ValidatedInput;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.validation.InputValidator;
import io.loyaltylakehouse.edge.validation.Validated;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Checks every purchase and redemption record (CONTRACT section 3) and tracks the stream time of each input
 * partition number, which CONTRACT 4.4 measures lateness against ({@link PartitionStreamTime}: the highest valid
 * event_time seen on {@code purchase_events} and {@code redemption_events} partition p, counted at most a little
 * past the receiving clock). It is kept in a changelogged store, so it follows the input order and survives restarts
 * exactly like the offsets. An accepted record keeps its coordinates and raw bytes for the global id check.
 *
 * <p>The receiving clock of a record (CONTRACT 3's future skew, the stream-time cap) is its Kafka timestamp, when it
 * was produced, but never later than this instance's own clock: so a record is judged the same whether it is read at
 * once, after a restart or from a backlog, while a producer whose clock runs ahead gains nothing.
 */
public final class InputValidationProcessor implements FixedKeyProcessor<String, byte[], ValidatedInput> {
    public static final String PARTITION_TIME_STORE = "partition-stream-time";

    private final EdgeTopics topics;
    private final InputValidator validator;
    private final EdgeCounters counters;
    private final PartitionStreamTime streamTime;
    private FixedKeyProcessorContext<String, ValidatedInput> context;
    private KeyValueStore<Integer, Long> partitionTimes;

    InputValidationProcessor(
            final EdgeTopics topics,
            final InputValidator validator,
            final PartitionStreamTime streamTime,
            final EdgeCounters counters) {
        this.topics = requireNonNull(topics, "topics is null");
        this.validator = requireNonNull(validator, "validator is null");
        this.streamTime = requireNonNull(streamTime, "streamTime is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    public static FixedKeyProcessorSupplier<String, byte[], ValidatedInput> supplier(
            final EdgeTopics topics,
            final InputValidator validator,
            final PartitionStreamTime streamTime,
            final EdgeCounters counters) {
        return new FixedKeyProcessorSupplier<>() {
            @Override
            public FixedKeyProcessor<String, byte[], ValidatedInput> get() {
                return new InputValidationProcessor(topics, validator, streamTime, counters);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                // Cached: a partition's stream time changes with nearly every record, and only its value at
                // commit matters, so the changelog gets one record per partition per commit, not one per input.
                return Set.of(Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(PARTITION_TIME_STORE), Serdes.Integer(), Serdes.Long())
                        .withCachingEnabled());
            }
        };
    }

    @Override
    public void init(final FixedKeyProcessorContext<String, ValidatedInput> context) {
        this.context = context;
        this.partitionTimes = context.getStateStore(PARTITION_TIME_STORE);
    }

    @Override
    public void process(final FixedKeyRecord<String, byte[]> input) {
        final RecordMetadata source = context.recordMetadata().orElseThrow();
        final Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        final Instant received = Instant.ofEpochMilli(writableTimestamp(input.timestamp(), now));
        final FixedKeyRecord<String, byte[]> record = input.withTimestamp(received.toEpochMilli());
        if (source.topic().equals(topics.purchaseEvents())) {
            final Validated<PurchaseEvent> purchase = validator.purchase(record.value(), received);
            if (purchase instanceof Validated.Valid<PurchaseEvent> valid) {
                final Instant time =
                        advancePartitionTime(source.partition(), valid.value().eventTime(), received);
                context.forward(record.withValue(ValidatedInput.accepted(
                        AccountEvent.purchase(valid.value(), time, inputRecord(source, record.value())))));
            } else {
                refuse(record, source, ((Validated.Invalid<PurchaseEvent>) purchase).reason(), now);
            }
        } else {
            final Validated<RedemptionEvent> redemption = validator.redemption(record.value(), received);
            if (redemption instanceof Validated.Valid<RedemptionEvent> valid) {
                final Instant time =
                        advancePartitionTime(source.partition(), valid.value().eventTime(), received);
                context.forward(record.withValue(ValidatedInput.accepted(
                        AccountEvent.redemption(valid.value(), time, inputRecord(source, record.value())))));
            } else {
                refuse(record, source, ((Validated.Invalid<RedemptionEvent>) redemption).reason(), now);
            }
        }
    }

    /**
     * A record's timestamp, never ahead of this instance's clock. What we write carries it too: then a back-dated
     * purchase's outputs are not older than the retention of their topics, and brokers never refuse them for a
     * timestamp too far ahead (message.timestamp.after.max.ms), which would stop the task.
     */
    static long writableTimestamp(final long timestamp, final Instant now) {
        return Math.min(timestamp, now.toEpochMilli());
    }

    private Instant advancePartitionTime(final int partition, final Instant eventTime, final Instant received) {
        final Long current = partitionTimes.get(partition);
        final long next = streamTime.advance(current, eventTime, received);
        if (current == null || next != current) {
            partitionTimes.put(partition, next);
        }
        return Instant.ofEpochMilli(next);
    }

    private static InputRecord inputRecord(final RecordMetadata source, final byte[] raw) {
        return new InputRecord(source.topic(), source.partition(), source.offset(), raw);
    }

    private void refuse(
            final FixedKeyRecord<String, byte[]> record,
            final RecordMetadata source,
            final String reason,
            final Instant now) {
        counters.deadLettered(source.topic(), reason);
        context.forward(record.withValue(ValidatedInput.refused(
                DeadLetter.of(record.value(), reason, source.topic(), source.partition(), source.offset(), now))));
    }
}
