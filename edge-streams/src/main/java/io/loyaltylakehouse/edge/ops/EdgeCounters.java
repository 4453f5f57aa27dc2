package io.loyaltylakehouse.edge.ops;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.ops.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import java.util.List;
import java.util.Locale;

/**
 * The business counters of {@code /metrics} (prefix {@code edge_}). Counted when a task processes a record, so a
 * record replayed after a crash (exactly-once aborts its first attempt) may be counted twice here but never in the
 * ledger.
 */
public final class EdgeCounters {
    private static final int MAX_REASON_LENGTH = 48;

    private final Metrics metrics;
    private final Counter purchasesAwarded;
    private final Counter purchasesPaused;
    private final Counter duplicates;
    private final Counter latePurchases;
    private final Counter redemptionsAccepted;
    private final Counter redemptionsRejected;
    private final Counter fraudAlerts;
    private final Counter pointsAwarded;
    private final Counter pointsWithheld;
    private final Counter pointsRedeemed;
    private final Counter deadLetters;
    private final Counter deadLetterWriteFailures;

    /** {@code inputTopics}: listed so dashboards show every input topic, at 0 until its first dead letter. */
    public EdgeCounters(final Metrics metrics, final List<String> inputTopics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
        purchasesAwarded = metrics.counter("purchases_awarded_total", "Purchases awarded points");
        purchasesPaused = metrics.counter("purchases_paused_total", "Purchases of paused users (points withheld)");
        duplicates = metrics.counter("duplicates_total", "Purchases and redemptions already accepted");
        latePurchases = metrics.counter(
                "late_purchases_total",
                "Purchases behind their partition's stream time by more than the allowed lateness");
        redemptionsAccepted = metrics.counter("redemptions_accepted_total", "Redemptions accepted");
        redemptionsRejected = metrics.counter("redemptions_rejected_total", "Redemptions rejected (balance too low)");
        fraudAlerts = metrics.counter("fraud_alerts_total", "Fraud alerts raised (each pauses a user)");
        pointsAwarded = metrics.counter("points_awarded_total", "Points awarded by accepted purchases");
        pointsWithheld = metrics.counter("points_withheld_total", "Points withheld from purchases of paused users");
        pointsRedeemed = metrics.counter("points_redeemed_total", "Points taken by accepted redemptions");
        deadLetters = metrics.counter(
                "dead_letters_total", "Input records sent to their topic's .dlq, by reason", "topic", "reason");
        inputTopics.forEach(topic -> deadLetters.initLabelValues(topic, "none"));
        deadLetterWriteFailures = metrics.counter(
                "dead_letter_write_failed_total",
                "Dead letters that could not be written (logged with their coordinates instead)",
                "topic");
    }

    public void awarded(final LedgerEntry entry) {
        purchasesAwarded.inc();
        pointsAwarded.inc(entry.points());
    }

    public void paused(final LedgerEntry entry) {
        purchasesPaused.inc();
        pointsWithheld.inc(entry.withheldPoints());
    }

    public void duplicate() {
        duplicates.inc();
    }

    public void late() {
        latePurchases.inc();
    }

    /** {@code entry}: the redemption's ledger entry, with negative points. */
    public void redeemed(final LedgerEntry entry) {
        redemptionsAccepted.inc();
        pointsRedeemed.inc(Math.abs(entry.points()));
    }

    public void rejected() {
        redemptionsRejected.inc();
    }

    public void fraudAlert() {
        fraudAlerts.inc();
    }

    /** A record sent to {@code <topic>.dlq}, counted per source topic and kind of reason. */
    public void deadLettered(final String sourceTopic, final String reason) {
        deadLetters.labelValues(sourceTopic, reasonLabel(reason)).inc();
    }

    /** A dead letter the broker or the serializer refused: logged with its coordinates, processing went on. */
    public void deadLetterWriteFailed(final String deadLetterTopic) {
        deadLetterWriteFailures.labelValues(deadLetterTopic).inc();
    }

    /**
     * The kind of a dead letter's reason, without the values it quotes, so the label stays bounded:
     * {@code "amount must be > 0, got -3"} -> {@code amount_must_be}.
     */
    static String reasonLabel(final String reason) {
        final String words = reason.split("[,:'\"<>=0-9(\\[{]", 2)[0].trim().toLowerCase(Locale.ROOT);
        final String label = words.replaceAll("[^a-z_]+", "_").replaceAll("^_+|_+$", "");
        if (label.isEmpty()) {
            return "other";
        }
        return label.length() > MAX_REASON_LENGTH ? label.substring(0, MAX_REASON_LENGTH) : label;
    }

    public Metrics metrics() {
        return metrics;
    }
}
