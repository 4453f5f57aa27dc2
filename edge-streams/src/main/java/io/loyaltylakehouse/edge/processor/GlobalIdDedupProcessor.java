package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.edge.accrual.GlobalIdDedup;
import io.loyaltylakehouse.edge.model.AccountEvent;
import io.loyaltylakehouse.edge.model.ValidatedInput;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Wires {@link GlobalIdDedup} to its state. Input keyed by id (so one task sees every use of an id, whatever the
 * user); output keyed by user_id for the account. Ids are remembered in a window store at the wall-clock time they
 * were claimed, with the user they went to; segments older than the dedup retention are dropped, so it is bounded.
 * The claim, the forwarded event and the input offset commit in one transaction (exactly-once).
 */
public final class GlobalIdDedupProcessor implements Processor<String, AccountEvent, String, ValidatedInput> {
    public static final String CLAIMED_IDS_STORE = "claimed-ids";

    private final Duration retention;
    private final EdgeCounters counters;
    private ProcessorContext<String, ValidatedInput> context;
    private WindowStore<String, String> acceptedIds;

    GlobalIdDedupProcessor(final Duration retention, final EdgeCounters counters) {
        this.retention = requireNonNull(retention, "retention is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    public static ProcessorSupplier<String, AccountEvent, String, ValidatedInput> supplier(
            final Duration retention, final EdgeCounters counters) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AccountEvent, String, ValidatedInput> get() {
                return new GlobalIdDedupProcessor(retention, counters);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(Stores.windowStoreBuilder(
                        Stores.persistentWindowStore(CLAIMED_IDS_STORE, retention, Duration.ofMillis(1), false),
                        Serdes.String(),
                        Serdes.String()));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, ValidatedInput> context) {
        this.context = context;
        acceptedIds = context.getStateStore(CLAIMED_IDS_STORE);
    }

    @Override
    public void process(final Record<String, AccountEvent> record) {
        final AccountEvent event = record.value();
        final String owner = owner(record.key());
        final String duplicate = GlobalIdDedup.duplicateReason(event, owner);
        final Record<String, AccountEvent> byUser = record.withKey(event.userId());
        if (duplicate != null) {
            counters.duplicate();
            counters.deadLettered(event.source().topic(), duplicate);
            context.forward(
                    byUser.withValue(ValidatedInput.refused(event.source().deadLetter(duplicate, now()))));
            return;
        }
        if (owner == null) {
            final long now = context.currentSystemTimeMs();
            acceptedIds.put(record.key(), event.userId(), now);
        }
        // A redemption keeps its input record: the account step may still find it already accepted.
        final AccountEvent next = event.purchase() != null ? event.withoutSource() : event;
        context.forward(byUser.withValue(ValidatedInput.accepted(next)));
    }

    /**
     * The user an id was claimed for within the retention, on the wall clock (event times may be anything: replays,
     * late events), or null. Upper bound open in case the clock stepped back.
     */
    private String owner(final String idKey) {
        final long from = Math.max(0, context.currentSystemTimeMs() - retention.toMillis());
        try (WindowStoreIterator<String> seen = acceptedIds.fetch(idKey, from, Long.MAX_VALUE)) {
            return seen.hasNext() ? seen.next().value : null;
        }
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
