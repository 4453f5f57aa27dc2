package io.loyaltylakehouse.load.legacy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One statement the legacy application runs against {@code legacy.members} / {@code legacy.points_transactions}
 * (CONTRACT section 5). The same values go to PostgreSQL and to the ground-truth oracle.
 */
public sealed interface LegacyOp {

    /** A new member; {@code newUserId} maps it to a real-time user, null keeps it legacy-only. */
    record InsertMember(long memberId, String email, String fullName, String tier, String newUserId, Instant updatedAt)
            implements LegacyOp {
        public InsertMember {
            Objects.requireNonNull(updatedAt, "updatedAt is null");
        }
    }

    /** A member moving to another tier. */
    record UpdateMemberTier(long memberId, String tier, Instant updatedAt) implements LegacyOp {}

    /** A points transaction; {@code points} is already signed, {@code sourceTxnRef} set for dual-recorded purchases. */
    record InsertTransaction(
            long txnId,
            long memberId,
            int points,
            BigDecimal amount,
            String txnType,
            String sourceTxnRef,
            Instant createdAt)
            implements LegacyOp {
        public InsertTransaction {
            Objects.requireNonNull(txnType, "txnType is null");
            Objects.requireNonNull(createdAt, "createdAt is null");
        }
    }

    /** A correction: the legacy application rewrites a transaction's points. */
    record UpdateTransactionPoints(long txnId, int points, Instant updatedAt) implements LegacyOp {}

    /** A deletion of a transaction row. */
    record DeleteTransaction(long txnId) implements LegacyOp {}

    /**
     * The legacy application closing an account: all the member's transactions, then the member, in one database
     * transaction (CONTRACT 5: those rows become VOID).
     */
    record DeleteMember(long memberId) implements LegacyOp {}
}
