package io.loyaltylakehouse.reconciler.sink;

import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.time.Instant;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.iceberg.Schema;

/** The reconciler's records as rows of the tables of CONTRACT section 6 ({@code LoyaltyTables}). */
public final class LakehouseRows {

    private LakehouseRows() {}

    /** {@code writtenAt}: the wall clock of this write, the row's {@code written_at} (CONTRACT 6). */
    public static RowData ledger(final Schema schema, final LedgerRow row, final Instant writtenAt) {
        return IcebergRow.of(schema, RowKind.INSERT)
                .set("business_key", row.businessKey())
                .set("user_id", row.userId())
                .set("points", row.points())
                .set("withheld_points", row.withheldPoints())
                .set("status", row.status())
                .set("entry_type", row.entryType())
                .set("sources", row.sources())
                .set("transaction_id", row.transactionId())
                .set("legacy_txn_id", row.legacyTxnId())
                .set("event_time", row.eventTime())
                .set("updated_at", row.updatedAt())
                .set("written_at", writtenAt)
                .build();
    }

    public static RowData audit(final Schema schema, final AuditRow row, final Instant writtenAt) {
        return IcebergRow.of(schema, RowKind.INSERT)
                .set("business_key", row.businessKey())
                .set("realtime_points", row.realtimePoints())
                .set("legacy_points", row.legacyPoints())
                .set("resolution", row.resolution().name())
                .set("decided_at", row.decidedAt())
                .set("written_at", writtenAt)
                .build();
    }

    public static RowData fraudAlert(final Schema schema, final FraudAlert alert) {
        return IcebergRow.of(schema, RowKind.INSERT)
                .set("transaction_id", alert.transactionId())
                .set("user_id", alert.userId())
                .set("window_start", alert.windowStart())
                .set("window_end", alert.windowEnd())
                .set("points_in_window", alert.pointsInWindow())
                .set("paused_until", alert.pausedUntil())
                .build();
    }

    public static RowData lateEvent(final Schema schema, final LateEvent late) {
        return IcebergRow.of(schema, RowKind.INSERT)
                .set("transaction_id", late.transactionId())
                .set("user_id", late.userId())
                .set("store_id", late.storeId())
                .set("amount", late.amount())
                .set("points", late.points())
                .set("event_time", late.eventTime())
                .set("lateness_ms", late.latenessMs())
                .set("seen_at", late.seenAt())
                .build();
    }

    /**
     * {@code members} holds the current legacy members only: a deleted member becomes a DELETE row, which the
     * upsert writer turns into an equality delete on member_id.
     */
    public static RowData member(final Schema schema, final LegacyMember member) {
        return IcebergRow.of(schema, member.op() == ChangeOp.d ? RowKind.DELETE : RowKind.INSERT)
                .set("member_id", member.memberId())
                .set("user_id", member.userId())
                .set("email", member.email())
                .set("full_name", member.fullName())
                .set("tier", member.tier())
                .set("updated_at", member.updatedAt())
                .build();
    }
}
