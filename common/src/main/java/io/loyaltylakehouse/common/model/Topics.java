package io.loyaltylakehouse.common.model;

import io.loyaltylakehouse.common.topic.JsonSerde;
import io.loyaltylakehouse.common.topic.Topic;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of CONTRACT section 3, plus the internal topics between the cdc-bridge and the reconciler: one
 * {@link Topic} each, with the contract's name, its key ({@code user_id} unless said otherwise) and its message.
 * Components whose topic names are configurable take these and {@link Topic#named rename} them.
 */
public final class Topics {
    /** Input; read as raw bytes by edge-streams, which validates them into this message or a dead letter. */
    public static final Topic<String, PurchaseEvent> PURCHASE_EVENTS = json("purchase_events", PurchaseEvent.class);

    /** Input; read as raw bytes by edge-streams, like purchases. */
    public static final Topic<String, RedemptionEvent> REDEMPTION_EVENTS =
            json("redemption_events", RedemptionEvent.class);

    /** Input, key = {@code promo_id}; a tombstone withdraws the promotion. */
    public static final Topic<String, Promotion> PROMOTIONS = json("promotions", Promotion.class);

    public static final Topic<String, LedgerEntry> POINTS_LEDGER = json("points_ledger", LedgerEntry.class);

    /** Compacted: the latest balance per user. */
    public static final Topic<String, BalanceUpdate> LOYALTY_POINTS_REALTIME =
            json("loyalty_points_realtime", BalanceUpdate.class);

    public static final Topic<String, FraudAlert> FRAUD_ALERTS = json("fraud_alerts", FraudAlert.class);
    public static final Topic<String, LateEvent> LATE_EVENTS = json("late_events", LateEvent.class);
    public static final Topic<String, RedemptionResult> REDEMPTION_RESULTS =
            json("redemption_results", RedemptionResult.class);

    /** Legacy ledger changes, keyed by business key so all changes of one key stay in order. */
    public static final Topic<String, LegacyLedgerChange> LEGACY_LEDGER_CHANGES =
            json("legacy_ledger_changes", LegacyLedgerChange.class);

    /** Legacy members, keyed by member_id; compacted, so a delete leaves a tombstone. */
    public static final Topic<String, LegacyMember> LEGACY_MEMBERS = json("legacy_members", LegacyMember.class);

    /** Rows the cdc-bridge could not map (bad txn_type, NULL member, overflow...), keyed by {@code table:row}. */
    public static final Topic<String, DeadLetter> LEGACY_DLQ = json("legacy.dlq", DeadLetter.class);

    /** The names of the three inputs. */
    public static final List<String> INPUTS =
            List.of(PURCHASE_EVENTS.name(), REDEMPTION_EVENTS.name(), PROMOTIONS.name());

    private Topics() {}

    /** The dead-letter topic name of an input topic: {@code <topic>.dlq}. */
    public static String deadLetterOf(final String inputTopic) {
        return inputTopic + ".dlq";
    }

    /** The dead-letter topic of an input topic ({@code <topic>.dlq}), keyed like the input. */
    public static Topic<String, DeadLetter> deadLettersOf(final Topic<String, ?> input) {
        return json(deadLetterOf(input.name()), DeadLetter.class);
    }

    /** One topic the local stack provisions. */
    public record Spec(String name, int partitions, boolean compacted) {}

    /** What {@code make up} creates. Inputs and the ledger get 4 partitions so work spreads over instances. */
    public static List<Spec> all() {
        return List.of(
                new Spec(PURCHASE_EVENTS.name(), 4, false),
                new Spec(REDEMPTION_EVENTS.name(), 4, false),
                new Spec(PROMOTIONS.name(), 1, true),
                new Spec(POINTS_LEDGER.name(), 4, false),
                new Spec(LOYALTY_POINTS_REALTIME.name(), 4, true),
                new Spec(FRAUD_ALERTS.name(), 4, false),
                new Spec(LATE_EVENTS.name(), 4, false),
                new Spec(REDEMPTION_RESULTS.name(), 4, false),
                new Spec(deadLetterOf(PURCHASE_EVENTS.name()), 1, false),
                new Spec(deadLetterOf(REDEMPTION_EVENTS.name()), 1, false),
                new Spec(deadLetterOf(PROMOTIONS.name()), 1, false),
                new Spec(LEGACY_LEDGER_CHANGES.name(), 4, false),
                new Spec(LEGACY_MEMBERS.name(), 4, true),
                new Spec(LEGACY_DLQ.name(), 1, false));
    }

    private static <V> Topic<String, V> json(final String name, final Class<V> type) {
        return new Topic<>(name, Serdes.String(), new JsonSerde<>(type));
    }
}
