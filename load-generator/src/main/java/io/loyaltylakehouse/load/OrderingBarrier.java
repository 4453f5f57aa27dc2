package io.loyaltylakehouse.load;

/**
 * Tells whether the pipeline has consumed a record, so that a user's next record can be held back until the user's
 * previous record on the other input topic was consumed ({@link OrderedSends}). Kafka Streams reads the purchase and redemption partitions of a task in event-time order only among the
 * records it has fetched; under a backlog a redemption can overtake the purchases sent before it, and its outcome
 * would then depend on timing.
 */
public interface OrderingBarrier extends AutoCloseable {

    /** No pipeline to wait for (dry run, or edge-streams not consuming). */
    OrderingBarrier NONE = new OrderingBarrier() {
        @Override
        public void awaitConsumed(final String topic, final int partition, final long offset) {}

        @Override
        public boolean consumed(final String topic, final int partition, final long offset) {
            return true;
        }

        @Override
        public boolean held() {
            return true;
        }

        @Override
        public void close() {}
    };

    /** Blocks until the record at {@code offset} of {@code topic}-{@code partition} has been consumed. */
    void awaitConsumed(String topic, int partition, long offset) throws InterruptedException;

    /**
     * Whether the record at {@code offset} has been consumed, without waiting (the answer may be a few milliseconds
     * old); true once the barrier gave up.
     */
    boolean consumed(String topic, int partition, long offset);

    /** False if a wait timed out and the barrier gave up: redemption outcomes may then depend on timing. */
    boolean held();

    @Override
    void close();
}
