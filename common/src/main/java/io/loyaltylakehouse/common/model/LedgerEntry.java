package io.loyaltylakehouse.common.model;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One entry of the {@code points_ledger} topic: an accepted purchase (EARN) or redemption (REDEEM).
 * {@code businessKey} is the transaction_id or redemption_id; {@code points} is what counts toward the
 * balance (0 when PAUSED, negative for a redemption); {@code withheldPoints} what a pause held back.
 */
public record LedgerEntry(
        String businessKey,
        String userId,
        long points,
        long withheldPoints,
        LedgerStatus status,
        EntryType entryType,
        String transactionId,
        String redemptionId,
        String storeId,
        BigDecimal amount,
        int multiplier,
        Instant eventTime,
        Instant recordedAt) {

    public enum LedgerStatus {
        AWARDED,
        PAUSED,
        VOID
    }

    public enum EntryType {
        EARN,
        REDEEM,
        ADJUST
    }
}
