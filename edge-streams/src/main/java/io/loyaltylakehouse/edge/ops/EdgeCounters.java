package io.loyaltylakehouse.edge.ops;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.ops.Metrics;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The business counters of {@code /metrics}. Counted when a task processes a record, so a record replayed
 * after a crash (exactly-once aborts its first attempt) may be counted twice here but never in the ledger.
 */
public final class EdgeCounters {
    private final Metrics metrics;
    private final LongAdder awarded;
    private final LongAdder paused;
    private final LongAdder duplicate;
    private final LongAdder late;
    private final LongAdder redeemed;
    private final LongAdder rejected;
    private final LongAdder fraudAlerts;

    /** {@code inputTopics}: their dead-letter counters exist from the start, at 0. */
    public EdgeCounters(final Metrics metrics, final List<String> inputTopics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        awarded = metrics.counter("awarded_total", "Purchases awarded points", "");
        paused = metrics.counter("paused_total", "Purchases of paused users (points withheld)", "");
        duplicate = metrics.counter("duplicate_total", "Purchases and redemptions already accepted", "");
        late = metrics.counter("late_total", "Purchases behind their partition's stream time by more than the allowed lateness", "");
        redeemed = metrics.counter("redeemed_total", "Redemptions accepted", "");
        rejected = metrics.counter("rejected_total", "Redemptions rejected (balance too low)", "");
        fraudAlerts = metrics.counter("fraud_alerts_total", "Fraud alerts raised (users paused)", "");
        inputTopics.forEach(this::deadLetterCounter);
    }

    public void awarded() {
        awarded.increment();
    }

    public void paused() {
        paused.increment();
    }

    public void duplicate() {
        duplicate.increment();
    }

    public void late() {
        late.increment();
    }

    public void redeemed() {
        redeemed.increment();
    }

    public void rejected() {
        rejected.increment();
    }

    public void fraudAlert() {
        fraudAlerts.increment();
    }

    /** A record sent to {@code <topic>.dlq}, counted per source topic. */
    public void deadLettered(final String sourceTopic) {
        deadLetterCounter(sourceTopic).increment();
    }

    /** A dead letter the broker or the serializer refused: logged with its coordinates, processing went on. */
    public void deadLetterWriteFailed(final String deadLetterTopic) {
        metrics.counter("dead_letter_write_failed_total", "Dead letters that could not be written (logged instead)",
                "topic=\"" + deadLetterTopic + "\"").increment();
    }

    private LongAdder deadLetterCounter(final String sourceTopic) {
        return metrics.counter("dead_lettered_total", "Input records sent to their topic's .dlq",
                "topic=\"" + sourceTopic + "\"");
    }

    public Metrics metrics() {
        return metrics;
    }
}
