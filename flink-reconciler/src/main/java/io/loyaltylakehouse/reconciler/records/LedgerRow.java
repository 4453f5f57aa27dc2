package io.loyaltylakehouse.reconciler.records;

import java.time.Instant;

/**
 * One row of {@code loyalty.points_ledger}: the unified ledger, one row per business key.
 * {@code points} is what counts toward the balance (0 for PAUSED and VOID rows);
 * {@code legacyTxnId} is null when the legacy system does not know the key.
 */
public record LedgerRow(
        String businessKey,
        String userId,
        long points,
        long withheldPoints,
        String status,
        String entryType,
        String sources,
        String transactionId,
        Long legacyTxnId,
        Instant eventTime,
        Instant updatedAt) {

    public static final String SOURCE_REALTIME = "realtime";
    public static final String SOURCE_LEGACY = "legacy";
    public static final String SOURCE_BOTH = "realtime+legacy";
}
