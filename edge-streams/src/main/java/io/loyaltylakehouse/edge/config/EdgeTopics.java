package io.loyaltylakehouse.edge.config;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.Topics;
import java.util.List;

/**
 * The topics edge-streams reads and writes. Defaults are the contract's names; they are configurable so
 * the same program runs against any cluster and integration tests can isolate themselves.
 */
public record EdgeTopics(
        String purchaseEvents,
        String redemptionEvents,
        String promotions,
        String pointsLedger,
        String loyaltyPointsRealtime,
        String fraudAlerts,
        String lateEvents,
        String redemptionResults) {

    public EdgeTopics {
        requireNonNull(purchaseEvents, "purchaseEvents is null");
        requireNonNull(redemptionEvents, "redemptionEvents is null");
        requireNonNull(promotions, "promotions is null");
        requireNonNull(pointsLedger, "pointsLedger is null");
        requireNonNull(loyaltyPointsRealtime, "loyaltyPointsRealtime is null");
        requireNonNull(fraudAlerts, "fraudAlerts is null");
        requireNonNull(lateEvents, "lateEvents is null");
        requireNonNull(redemptionResults, "redemptionResults is null");
    }

    /** The contract's names. */
    public static EdgeTopics contract() {
        return new EdgeTopics(
                Topics.PURCHASE_EVENTS,
                Topics.REDEMPTION_EVENTS,
                Topics.PROMOTIONS,
                Topics.POINTS_LEDGER,
                Topics.LOYALTY_POINTS_REALTIME,
                Topics.FRAUD_ALERTS,
                Topics.LATE_EVENTS,
                Topics.REDEMPTION_RESULTS);
    }

    /** Every name with {@code prefix} in front: how a test gets topics of its own on a shared broker. */
    public EdgeTopics withPrefix(final String prefix) {
        return new EdgeTopics(
                prefix + purchaseEvents,
                prefix + redemptionEvents,
                prefix + promotions,
                prefix + pointsLedger,
                prefix + loyaltyPointsRealtime,
                prefix + fraudAlerts,
                prefix + lateEvents,
                prefix + redemptionResults);
    }

    public List<String> inputs() {
        return List.of(purchaseEvents, redemptionEvents, promotions);
    }
}
