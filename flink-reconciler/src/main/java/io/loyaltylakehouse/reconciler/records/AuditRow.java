package io.loyaltylakehouse.reconciler.records;

import java.time.Instant;

/**
 * One row of {@code loyalty.reconciliation_audit}: the latest decision for a business key. A side's points
 * are null when that side does not (or no longer) know the key.
 */
public record AuditRow(
        String businessKey, Long realtimePoints, Long legacyPoints, Resolution resolution, Instant decidedAt) {

    /** How the two ledgers' views of one business key were resolved (CONTRACT section 6). */
    public enum Resolution {
        REALTIME_ONLY,
        LEGACY_ONLY,
        MERGED_DUPLICATE,
        CONFLICT
    }
}
