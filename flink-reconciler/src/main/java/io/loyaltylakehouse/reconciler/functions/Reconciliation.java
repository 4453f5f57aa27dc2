package io.loyaltylakehouse.reconciler.functions;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.AuditRow.Resolution;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.time.Instant;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The rules of CONTRACT section 6 as a pure function of what each system currently says about one business
 * key: the real-time ledger entry (or null) and the newest legacy change (or null). Because the result
 * depends only on that pair, and never on which arrived first, any arrival order gives the same end state.
 * <ul>
 *   <li>both know the key for the same user: one row with the real-time points; MERGED_DUPLICATE when the
 *       legacy points are equal to the real-time {@code points} (what counts toward the balance), else
 *       CONFLICT;</li>
 *   <li>both know the key, for different users: the row stays the real-time one (never moved to the legacy
 *       user), CONFLICT with both points;</li>
 *   <li>only real time: REALTIME_ONLY. This includes a key the legacy system deleted: the purchase still
 *       happened in real time, so the row stays as the real-time pipeline recorded it;</li>
 *   <li>only legacy: LEGACY_ONLY, AWARDED with the legacy points; after a legacy DELETE the row stays but is
 *       VOID with 0 points, so the lakehouse shows the void instead of a silently vanished transaction.</li>
 * </ul>
 * Timestamps ({@code updated_at}, {@code decided_at}) are the newest of the inputs' own timestamps, not the
 * wall clock, so a replay writes identical rows.
 */
public final class Reconciliation {

    private Reconciliation() {}

    /** The ledger row and audit row for one key; at least one side must be present. */
    public static Decision decide(final LedgerEntry realtime, final LegacyLedgerChange legacy) {
        if (realtime == null && legacy == null) {
            throw new IllegalArgumentException("nothing to reconcile: neither a real-time entry nor a legacy change");
        }
        final Instant decidedAt = newest(realtime, legacy);
        final boolean legacyLive = legacy != null && legacy.op() != ChangeOp.d;
        if (realtime != null && legacyLive && !realtime.userId().equals(legacy.userId())) {
            return new Decision(
                    realtimeRow(realtime, LedgerRow.SOURCE_REALTIME, null, decidedAt),
                    new AuditRow(
                            realtime.businessKey(),
                            realtime.points(),
                            legacy.points(),
                            Resolution.CONFLICT,
                            decidedAt));
        }
        if (realtime != null && legacyLive) {
            final Resolution resolution =
                    realtime.points() == legacy.points() ? Resolution.MERGED_DUPLICATE : Resolution.CONFLICT;
            return new Decision(
                    realtimeRow(realtime, LedgerRow.SOURCE_BOTH, legacy.legacyTxnId(), decidedAt),
                    new AuditRow(realtime.businessKey(), realtime.points(), legacy.points(), resolution, decidedAt));
        }
        if (realtime != null) {
            return new Decision(
                    realtimeRow(realtime, LedgerRow.SOURCE_REALTIME, null, decidedAt),
                    new AuditRow(realtime.businessKey(), realtime.points(), null, Resolution.REALTIME_ONLY, decidedAt));
        }
        final long points = legacyLive ? legacy.points() : 0L;
        final LedgerEntry.LedgerStatus status =
                legacyLive ? LedgerEntry.LedgerStatus.AWARDED : LedgerEntry.LedgerStatus.VOID;
        return new Decision(
                new LedgerRow(
                        legacy.businessKey(),
                        legacy.userId(),
                        points,
                        0L,
                        status.name(),
                        entryTypeOf(legacy.txnType()).name(),
                        LedgerRow.SOURCE_LEGACY,
                        legacy.sourceTxnRef(),
                        legacy.legacyTxnId(),
                        legacy.eventTime(),
                        decidedAt),
                new AuditRow(legacy.businessKey(), null, points, Resolution.LEGACY_ONLY, decidedAt));
    }

    /** A legacy {@code txn_type} as a ledger entry type; throws for anything but EARN, REDEEM or ADJUST. */
    public static LedgerEntry.EntryType entryTypeOf(final String txnType) {
        if (txnType == null) {
            throw new IllegalArgumentException("txn_type is missing");
        }
        return LedgerEntry.EntryType.valueOf(txnType.trim().toUpperCase(java.util.Locale.ROOT));
    }

    private static LedgerRow realtimeRow(
            final LedgerEntry entry, final String sources, final Long legacyTxnId, final Instant updatedAt) {
        return new LedgerRow(
                entry.businessKey(),
                entry.userId(),
                entry.points(),
                entry.withheldPoints(),
                entry.status().name(),
                entry.entryType().name(),
                sources,
                entry.transactionId(),
                legacyTxnId,
                entry.eventTime(),
                updatedAt);
    }

    private static Instant newest(final LedgerEntry realtime, final LegacyLedgerChange legacy) {
        return Stream.of(
                        realtime == null ? null : realtime.recordedAt(),
                        realtime == null ? null : realtime.eventTime(),
                        legacy == null ? null : legacy.updatedAt(),
                        legacy == null ? null : legacy.eventTime())
                .filter(Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(Instant.EPOCH);
    }

    /** What one reconciliation writes: the key's ledger row and its audit row. */
    public record Decision(LedgerRow row, AuditRow audit) {}
}
