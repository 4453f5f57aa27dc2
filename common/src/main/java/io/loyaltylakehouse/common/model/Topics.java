package io.loyaltylakehouse.common.model;

import java.util.List;

/** Topic names of CONTRACT section 3, plus the internal topics between the cdc-bridge and the reconciler. */
public final class Topics {
    public static final String PURCHASE_EVENTS = "purchase_events";
    public static final String REDEMPTION_EVENTS = "redemption_events";
    public static final String PROMOTIONS = "promotions";
    public static final String POINTS_LEDGER = "points_ledger";
    public static final String LOYALTY_POINTS_REALTIME = "loyalty_points_realtime";
    public static final String FRAUD_ALERTS = "fraud_alerts";
    public static final String LATE_EVENTS = "late_events";
    public static final String REDEMPTION_RESULTS = "redemption_results";

    /** Legacy ledger changes, keyed by business key so all changes of one key stay in order. */
    public static final String LEGACY_LEDGER_CHANGES = "legacy_ledger_changes";
    /** Legacy members, keyed by member_id. */
    public static final String LEGACY_MEMBERS = "legacy_members";
    /** Rows the cdc-bridge could not map (bad txn_type, NULL member, overflow...). */
    public static final String LEGACY_DLQ = "legacy.dlq";

    public static final List<String> INPUTS = List.of(PURCHASE_EVENTS, REDEMPTION_EVENTS, PROMOTIONS);

    private Topics() {}

    /** The dead-letter topic of an input topic: {@code <topic>.dlq}. */
    public static String deadLetterOf(final String inputTopic) {
        return inputTopic + ".dlq";
    }

    /** One topic the local stack provisions. */
    public record Spec(String name, int partitions, boolean compacted) {}

    /** What {@code make up} creates. Inputs and the ledger get 4 partitions so work spreads over instances. */
    public static List<Spec> all() {
        return List.of(
                new Spec(PURCHASE_EVENTS, 4, false),
                new Spec(REDEMPTION_EVENTS, 4, false),
                new Spec(PROMOTIONS, 1, true),
                new Spec(POINTS_LEDGER, 4, false),
                new Spec(LOYALTY_POINTS_REALTIME, 4, true),
                new Spec(FRAUD_ALERTS, 4, false),
                new Spec(LATE_EVENTS, 4, false),
                new Spec(REDEMPTION_RESULTS, 4, false),
                new Spec(deadLetterOf(PURCHASE_EVENTS), 1, false),
                new Spec(deadLetterOf(REDEMPTION_EVENTS), 1, false),
                new Spec(deadLetterOf(PROMOTIONS), 1, false),
                new Spec(LEGACY_LEDGER_CHANGES, 4, false),
                new Spec(LEGACY_MEMBERS, 4, true),
                new Spec(LEGACY_DLQ, 1, false));
    }
}
