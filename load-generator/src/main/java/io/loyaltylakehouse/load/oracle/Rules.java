package io.loyaltylakehouse.load.oracle;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The oracle's own copy of CONTRACT sections 4 and 5: the numbers (lateness, fraud window, limit, pause, future skew)
 * and the small rules the truth needs (promotion activity, legacy business keys and user ids, valid ids). Written
 * from the contract, never delegating to the product's code, so a bug there cannot hide in the truth.
 */
public record Rules(
        Duration allowedLateness,
        Duration fraudWindow,
        long fraudLimit,
        Duration pause,
        Duration maxFutureSkew,
        Duration streamTimeMaxLead) {

    /**
     * The contract's defaults: 10 minutes lateness, 5-minute windows, more than 1000 points, 1-hour pause, 1 h skew;
     * and edge-streams' documented stream-time rule (its README): a record moves stream time at most 1 minute past
     * its receiving clock.
     */
    public static final Rules CONTRACT = new Rules(
            Duration.ofMinutes(10),
            Duration.ofMinutes(5),
            1000,
            Duration.ofHours(1),
            Duration.ofHours(1),
            Duration.ofMinutes(1));

    /** CONTRACT 3: ids are at most 256 characters. */
    static final int MAX_ID_LENGTH = 256;

    public Rules {
        Objects.requireNonNull(allowedLateness, "allowedLateness is null");
        Objects.requireNonNull(fraudWindow, "fraudWindow is null");
        Objects.requireNonNull(pause, "pause is null");
        Objects.requireNonNull(maxFutureSkew, "maxFutureSkew is null");
        Objects.requireNonNull(streamTimeMaxLead, "streamTimeMaxLead is null");
        if (fraudWindow.isZero() || fraudWindow.isNegative()) {
            throw new IllegalArgumentException("fraud window must be positive, got " + fraudWindow);
        }
    }

    /** Start of the epoch-aligned tumbling window holding {@code eventTimeMs}. */
    public long windowStart(final long eventTimeMs) {
        return Math.floorDiv(eventTimeMs, fraudWindow.toMillis()) * fraudWindow.toMillis();
    }

    /** Rule 1: active at {@code eventTime} ({@code starts_at <= t < ends_at}) for the store (null = every store). */
    static boolean promotionApplies(
            final String promotionStore,
            final Instant startsAt,
            final Instant endsAt,
            final String storeId,
            final Instant eventTime) {
        return (promotionStore == null || promotionStore.equals(storeId))
                && !eventTime.isBefore(startsAt)
                && eventTime.isBefore(endsAt);
    }

    /** CONTRACT 5: a legacy transaction's business key is {@code source_txn_ref} when set, else {@code legacy-<txn_id>}. */
    static String legacyBusinessKey(final long txnId, final String sourceTxnRef) {
        return sourceTxnRef != null ? sourceTxnRef : "legacy-" + txnId;
    }

    /** CONTRACT 5: a legacy member's user is {@code new_user_id} when set, else {@code legacy-<member_id>}. */
    static String legacyUserId(final long memberId, final String newUserId) {
        return newUserId != null ? newUserId : "legacy-" + memberId;
    }

    /**
     * CONTRACT 3: non-empty, at most 256 characters, no leading or trailing white space, no control characters
     * (a NUL inside an id is as bad as one at its end).
     */
    static String idProblem(final String id) {
        if (id.isEmpty()) {
            return "is empty";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "is longer than " + MAX_ID_LENGTH + " characters";
        }
        if (isSpace(id.charAt(0)) || isSpace(id.charAt(id.length() - 1))) {
            return "has leading or trailing white space";
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return "contains a control character";
        }
        return null;
    }

    private static boolean isSpace(final char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }
}
