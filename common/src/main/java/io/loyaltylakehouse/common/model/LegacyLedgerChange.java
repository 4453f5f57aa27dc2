package io.loyaltylakehouse.common.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One change of {@code legacy.points_transactions}, normalized by the cdc-bridge. Key = {@code businessKey}
 * ({@code source_txn_ref} when set, else {@code legacy-<txn_id>}). For a delete ({@code op} = d) the fields
 * carry the deleted row. {@code lsn} orders changes of one key.
 */
public record LegacyLedgerChange(
        ChangeOp op,
        String businessKey,
        long legacyTxnId,
        long memberId,
        String userId,
        long points,
        String txnType,
        BigDecimal amount,
        String sourceTxnRef,
        Instant eventTime,
        Instant updatedAt,
        long lsn) {

    /** Debezium's operation codes: create, update, delete, read (snapshot). */
    public enum ChangeOp {
        c,
        u,
        d,
        r
    }

    /** A legacy transaction's business key (CONTRACT section 5). */
    public static String businessKeyOf(final long txnId, final String sourceTxnRef) {
        return sourceTxnRef != null && !sourceTxnRef.isBlank() ? sourceTxnRef : "legacy-" + txnId;
    }
}
