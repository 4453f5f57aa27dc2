package io.loyaltylakehouse.dbt;

import java.util.List;

/** DDL for a private copy of the lakehouse tables of CONTRACT section 6, for the loyalty project's test and bench. */
public final class LoyaltySourceTables {
    private static final String TSTZ = "timestamp(6) with time zone";

    private LoyaltySourceTables() {
    }

    /** {@code create table} statements for the five source tables in {@code catalog.schema}. */
    public static List<String> ddl(final String schema) {
        return List.of(
                "create table " + schema + ".points_ledger (business_key varchar, user_id varchar, points bigint,"
                        + " withheld_points bigint, status varchar, entry_type varchar, sources varchar, transaction_id varchar,"
                        + " legacy_txn_id bigint, event_time " + TSTZ + ", updated_at " + TSTZ + ")",
                "create table " + schema + ".reconciliation_audit (business_key varchar, realtime_points bigint,"
                        + " legacy_points bigint, resolution varchar, decided_at " + TSTZ + ")",
                "create table " + schema + ".fraud_alerts (transaction_id varchar, user_id varchar, window_start " + TSTZ
                        + ", window_end " + TSTZ + ", points_in_window bigint, paused_until " + TSTZ + ")",
                "create table " + schema + ".late_events (transaction_id varchar, user_id varchar, store_id varchar,"
                        + " amount decimal(12, 2), points bigint, event_time " + TSTZ + ", lateness_ms bigint, seen_at " + TSTZ + ")",
                "create table " + schema + ".members (member_id bigint, user_id varchar, email varchar, full_name varchar,"
                        + " tier varchar, updated_at " + TSTZ + ")");
    }
}
