package io.loyaltylakehouse.edge.config;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.topic.Topic;
import java.util.List;

/**
 * The topics edge-streams reads and writes, typed ({@link Topics}). Defaults are the contract's names; they are
 * configurable so the same program runs against any cluster and integration tests can isolate themselves.
 */
public record EdgeTopics(
        Topic<String, PurchaseEvent> purchaseEvents,
        Topic<String, RedemptionEvent> redemptionEvents,
        Topic<String, Promotion> promotions,
        Topic<String, LedgerEntry> pointsLedger,
        Topic<String, BalanceUpdate> loyaltyPointsRealtime,
        Topic<String, FraudAlert> fraudAlerts,
        Topic<String, LateEvent> lateEvents,
        Topic<String, RedemptionResult> redemptionResults) {

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
                purchaseEvents.named(prefix + purchaseEvents.name()),
                redemptionEvents.named(prefix + redemptionEvents.name()),
                promotions.named(prefix + promotions.name()),
                pointsLedger.named(prefix + pointsLedger.name()),
                loyaltyPointsRealtime.named(prefix + loyaltyPointsRealtime.name()),
                fraudAlerts.named(prefix + fraudAlerts.name()),
                lateEvents.named(prefix + lateEvents.name()),
                redemptionResults.named(prefix + redemptionResults.name()));
    }

    /** The names of the three inputs. */
    public List<String> inputs() {
        return List.of(purchaseEvents.name(), redemptionEvents.name(), promotions.name());
    }
}
