package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.Promotion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The global promotions store, laid out so a purchase reads only the promotions of its store (and of every store)
 * that have not ended at its event_time, instead of copying them all. Each promotion is held under four sorted keys
 * ({@code \0} cannot occur in an id, CONTRACT 3; ends_at as 19 digits sorts like the time):
 * <pre>
 *   I\0promo_id                    the promotion by id (updates and withdrawals find its other keys)
 *   S\0store_id\0ends_at\0promo_id  store-specific, by end
 *   A\0ends_at\0promo_id            every store (store_id null), by end
 *   E\0ends_at\0promo_id            by end alone: what expiry removes
 * </pre>
 */
public final class PromotionStore {
    public static final String NAME = "promotions";
    private static final char SEP = '\0';
    /** Sorts after every 19-digit time: the upper end of a range over times. */
    private static final String AFTER_TIMES = ":";

    private final ReadOnlyKeyValueStore<String, Promotion> store;

    public PromotionStore(final ReadOnlyKeyValueStore<String, Promotion> store) {
        this.store = requireNonNull(store, "store is null");
    }

    /** The promotions for {@code storeId} or every store whose ends_at is after {@code eventTime}. */
    public List<Promotion> activeFor(final String storeId, final Instant eventTime) {
        final String after = time(eventTime.toEpochMilli() + 1);
        final List<Promotion> found = new ArrayList<>();
        collect(found, "S" + SEP + storeId + SEP + after, "S" + SEP + storeId + SEP + AFTER_TIMES);
        collect(found, "A" + SEP + after, "A" + SEP + AFTER_TIMES);
        return found;
    }

    /** Puts (or replaces) a promotion. */
    public static void put(final KeyValueStore<String, Promotion> store, final Promotion promotion) {
        withdraw(store, promotion.promoId());
        store.put(idKey(promotion.promoId()), promotion);
        store.put(placementKey(promotion), promotion);
        store.put(expiryKey(promotion), promotion);
    }

    /** Removes a promotion; returns it, or null when there was none. */
    public static Promotion withdraw(final KeyValueStore<String, Promotion> store, final String promoId) {
        final Promotion existing = store.delete(idKey(promoId));
        if (existing != null) {
            store.delete(placementKey(existing));
            store.delete(expiryKey(existing));
        }
        return existing;
    }

    /** Removes every promotion that ended before {@code before}; returns how many. */
    public static int expire(final KeyValueStore<String, Promotion> store, final Instant before) {
        final List<String> ended = new ArrayList<>();
        try (KeyValueIterator<String, Promotion> range =
                store.range("E" + SEP, "E" + SEP + time(before.toEpochMilli()))) {
            range.forEachRemaining((KeyValue<String, Promotion> entry) -> ended.add(entry.value.promoId()));
        }
        ended.forEach(promoId -> withdraw(store, promoId));
        return ended.size();
    }

    private void collect(final List<Promotion> found, final String from, final String to) {
        try (KeyValueIterator<String, Promotion> range = store.range(from, to)) {
            range.forEachRemaining((KeyValue<String, Promotion> entry) -> found.add(entry.value));
        }
    }

    private static String idKey(final String promoId) {
        return "I" + SEP + promoId;
    }

    private static String placementKey(final Promotion promotion) {
        final String end = time(promotion.endsAt().toEpochMilli()) + SEP + promotion.promoId();
        return promotion.storeId() == null ? "A" + SEP + end : "S" + SEP + promotion.storeId() + SEP + end;
    }

    private static String expiryKey(final Promotion promotion) {
        return "E" + SEP + time(promotion.endsAt().toEpochMilli()) + SEP + promotion.promoId();
    }

    private static String time(final long epochMillis) {
        return String.format("%019d", Math.max(0, epochMillis));
    }
}
