package io.loyaltylakehouse.edge.accrual;

import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LedgerEntry.EntryType;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.edge.model.Account;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The business rules of CONTRACT section 4 (accrual, fraud pause, late events, redemption) as pure functions
 * from an account and an event to the new account and the messages to write. No I/O, no clock: the caller
 * passes the stream time and the wall-clock instant to stamp on the messages.
 */
public final class PointsAccrual {
    public static final Duration FRAUD_WINDOW = Duration.ofMinutes(5);
    public static final long FRAUD_LIMIT = 1000;
    public static final Duration FRAUD_PAUSE = Duration.ofHours(1);

    private final Duration allowedLateness;

    public PointsAccrual(final Duration allowedLateness) {
        this.allowedLateness = allowedLateness;
    }

    /** A purchase's outcome; {@code alert} and {@code late} are null when there is none. */
    public record Earned(Account account, LedgerEntry entry, FraudAlert alert, LateEvent late) {
    }

    /** A redemption's outcome; {@code entry} is null when it was rejected. */
    public record Redeemed(Account account, LedgerEntry entry, RedemptionResult result) {
    }

    /** CONTRACT 4.1: the highest multiplier of the promotions active for this store at this instant, else 1. */
    public static int bestMultiplier(final Iterable<Promotion> promotions, final String storeId,
            final Instant eventTime) {
        int best = 1;
        for (final Promotion promotion : promotions) {
            if (promotion.appliesTo(storeId, eventTime)) {
                best = Math.max(best, promotion.multiplier());
            }
        }
        return best;
    }

    /** The start (epoch millis) of the 5-minute epoch-aligned window holding {@code eventTime}. */
    public static long windowStart(final Instant eventTime) {
        final long size = FRAUD_WINDOW.toMillis();
        return Math.floorDiv(eventTime.toEpochMilli(), size) * size;
    }

    /**
     * CONTRACT 4.1, 4.3 and 4.4 for one (not duplicate) purchase. {@code partitionStreamTime} is the highest
     * event_time seen on the purchase's input partition number (purchases and redemptions), this purchase included.
     */
    public Earned earn(final Account account, final PurchaseEvent purchase, final int multiplier,
            final Instant partitionStreamTime, final Instant now) {
        final long points = Math.multiplyExact(
                purchase.amount().setScale(0, RoundingMode.FLOOR).longValueExact(), (long) multiplier);
        final long streamTime = partitionStreamTime.toEpochMilli();
        final long latenessMs = Math.max(0, streamTime - purchase.eventTime().toEpochMilli());
        final NavigableMap<Long, Long> openWindows = openWindows(account.windowPoints(), streamTime);

        final Account next;
        final LedgerEntry entry;
        FraudAlert alert = null;
        if (account.isPausedAt(purchase.eventTime())) {
            // Nothing is thrown away: the entry records what the pause withheld.
            next = new Account(account.balance(), account.pausedUntil(), openWindows);
            entry = earnEntry(purchase, 0, points, LedgerStatus.PAUSED, multiplier, now);
        } else {
            Instant pausedUntil = account.pausedUntil();
            final long windowStart = windowStart(purchase.eventTime());
            final long windowEnd = windowStart + FRAUD_WINDOW.toMillis();
            // A late purchase is behind the stream time by more than the allowed lateness: its window counts as
            // closed for it, so it never adds to a fraud window (CONTRACT 4.4).
            if (!isLate(latenessMs)) {
                final long before = openWindows.getOrDefault(windowStart, 0L);
                final long after = before + points;
                openWindows.put(windowStart, after);
                if (before <= FRAUD_LIMIT && after > FRAUD_LIMIT) {
                    pausedUntil = purchase.eventTime().plus(FRAUD_PAUSE);
                    alert = new FraudAlert(purchase.userId(), Instant.ofEpochMilli(windowStart),
                            Instant.ofEpochMilli(windowEnd), after, purchase.transactionId(), pausedUntil);
                }
            }
            next = new Account(Math.addExact(account.balance(), points), pausedUntil, openWindows);
            entry = earnEntry(purchase, points, 0, LedgerStatus.AWARDED, multiplier, now);
        }
        final LateEvent late = isLate(latenessMs)
                ? new LateEvent(purchase.transactionId(), purchase.userId(), purchase.storeId(), purchase.amount(),
                        entry.points(), purchase.eventTime(), latenessMs, now)
                : null;
        return new Earned(next, entry, alert, late);
    }

    /** CONTRACT 4.5 for one (not duplicate) redemption: accepted only if the balance covers it. */
    public Redeemed redeem(final Account account, final RedemptionEvent redemption, final Instant now) {
        if (account.balance() < redemption.points()) {
            final String reason = "insufficient balance: " + account.balance() + " < " + redemption.points();
            return new Redeemed(account, null, new RedemptionResult(redemption.redemptionId(), redemption.userId(),
                    redemption.points(), RedemptionResult.Status.REJECTED, reason));
        }
        final Account next = new Account(account.balance() - redemption.points(), account.pausedUntil(),
                account.windowPoints());
        final LedgerEntry entry = new LedgerEntry(redemption.redemptionId(), redemption.userId(), -redemption.points(),
                0, LedgerStatus.AWARDED, EntryType.REDEEM, null, redemption.redemptionId(), null, null, 0,
                redemption.eventTime(), now);
        return new Redeemed(next, entry, new RedemptionResult(redemption.redemptionId(), redemption.userId(),
                redemption.points(), RedemptionResult.Status.ACCEPTED, null));
    }

    private boolean isLate(final long latenessMs) {
        return latenessMs > allowedLateness.toMillis();
    }

    /** A window is closed once the stream time has passed its end by the allowed lateness: no purchase can reach it. */
    private boolean isClosed(final long windowStart, final long streamTime) {
        return windowStart + FRAUD_WINDOW.toMillis() + allowedLateness.toMillis() <= streamTime;
    }

    /** The windows a purchase can still count into; dropping the rest keeps per-user state bounded. */
    private NavigableMap<Long, Long> openWindows(final NavigableMap<Long, Long> windows, final long streamTime) {
        final NavigableMap<Long, Long> open = new TreeMap<>();
        windows.forEach((start, points) -> {
            if (!isClosed(start, streamTime)) {
                open.put(start, points);
            }
        });
        return open;
    }

    private static LedgerEntry earnEntry(final PurchaseEvent purchase, final long points, final long withheld,
            final LedgerStatus status, final int multiplier, final Instant now) {
        return new LedgerEntry(purchase.transactionId(), purchase.userId(), points, withheld, status, EntryType.EARN,
                purchase.transactionId(), null, purchase.storeId(), purchase.amount(), multiplier,
                purchase.eventTime(), now);
    }
}
