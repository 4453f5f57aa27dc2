package io.loyaltylakehouse.edge.processor;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How far this instance's global promotions store has applied the {@code promotions} topic: per partition, the
 * offset after the last record applied (valid, invalid or tombstone). A purchase reads the store as it is, so a
 * producer that announces a promotion and then sends purchases it must apply to waits until this passes the
 * promotion's offset ({@code GET /promotions/applied}; the load generator does).
 */
public final class PromotionsApplied {
    private final ConcurrentMap<Integer, Long> next = new ConcurrentHashMap<>();

    void applied(final int partition, final long offset) {
        next.merge(partition, offset + 1, Math::max);
    }

    /** Partition -> the next offset to apply, for the partitions applied since this instance started. */
    public Map<Integer, Long> positions() {
        return new TreeMap<>(next);
    }
}
