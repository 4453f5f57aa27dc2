package io.loyaltylakehouse.load;

/**
 * Holds a user's next record back until the pipeline has consumed the user's previous record on the other input
 * topic. Kafka Streams reads the purchase and redemption partitions of a task in event-time order only among the
 * records it has fetched; under a backlog a redemption can overtake the purchases sent before it, and its outcome
 * would then depend on timing.
 */
public interface OrderingBarrier extends AutoCloseable {

    /** No pipeline to wait for (dry run, or edge-streams not consuming). */
    OrderingBarrier NONE = new OrderingBarrier() {
        @Override
        public void awaitConsumed(final String topic, final int partition, final long offset) {}

        @Override
        public boolean held() {
            return true;
        }

        @Override
        public void close() {}
    };

    /** Blocks until the record at {@code offset} of {@code topic}-{@code partition} has been consumed. */
    void awaitConsumed(String topic, int partition, long offset) throws InterruptedException;

    /** False if a wait timed out and the barrier gave up: redemption outcomes may then depend on timing. */
    boolean held();

    @Override
    void close();
}
