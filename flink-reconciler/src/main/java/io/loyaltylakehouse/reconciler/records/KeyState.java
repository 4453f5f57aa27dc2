package io.loyaltylakehouse.reconciler.records;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;

/**
 * What the reconciler remembers of one business key, for as long as the job runs: whether an entry under
 * another user was refused, and each side's latest message cut to the fields the rules read ({@link #compact(LedgerEntry)}, {@link #compact(LegacyLedgerChange)}). It never expires, so a change
 * that arrives months later is decided exactly as it would have been the next second.
 */
public record KeyState(boolean userConflict, LedgerEntry realtime, LegacyLedgerChange legacy) {

    public static final KeyState EMPTY = new KeyState(false, null, null);

    public KeyState withRealtime(final LedgerEntry entry) {
        return new KeyState(userConflict, compact(entry), legacy);
    }

    /** A delete without user_id (its member was deleted with it) keeps the user the row had. */
    public KeyState withLegacy(final LegacyLedgerChange change) {
        final LegacyLedgerChange compact = compact(change);
        return new KeyState(
                userConflict,
                realtime,
                compact.userId() == null && legacy != null ? withUser(compact, legacy.userId()) : compact);
    }

    public KeyState withUserConflict() {
        return new KeyState(true, realtime, legacy);
    }

    /** The user the key's row belongs to: the real-time entry's if there is one, else the legacy transaction's. */
    public String ownerUserId() {
        return realtime != null ? realtime.userId() : legacy != null ? legacy.userId() : null;
    }

    private static LegacyLedgerChange withUser(final LegacyLedgerChange change, final String userId) {
        return new LegacyLedgerChange(
                change.op(),
                change.businessKey(),
                change.legacyTxnId(),
                0L,
                userId,
                change.points(),
                change.txnType(),
                null,
                change.sourceTxnRef(),
                change.eventTime(),
                change.updatedAt(),
                change.lsn());
    }

    /** A real-time entry without what no rule reads (store, amount, multiplier, redemption id). */
    static LedgerEntry compact(final LedgerEntry entry) {
        return new LedgerEntry(
                entry.businessKey(),
                entry.userId(),
                entry.points(),
                entry.withheldPoints(),
                entry.status(),
                entry.entryType(),
                entry.transactionId(),
                null,
                null,
                null,
                0,
                entry.eventTime(),
                entry.recordedAt());
    }

    /** A legacy change without what no rule reads (member id, amount). */
    static LegacyLedgerChange compact(final LegacyLedgerChange change) {
        return new LegacyLedgerChange(
                change.op(),
                change.businessKey(),
                change.legacyTxnId(),
                0L,
                change.userId(),
                change.points(),
                change.txnType(),
                null,
                change.sourceTxnRef(),
                change.eventTime(),
                change.updatedAt(),
                change.lsn());
    }
}
