package io.loyaltylakehouse.edge.accrual;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.edge.model.Account;
import java.time.Duration;
import java.time.Instant;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * CONTRACT 4.3, fraud pause: per user, event-time tumbling windows aligned to the epoch. The purchase whose points
 * take a window above the limit is still awarded, raises an alert and pauses the user until its event_time + the
 * pause; a purchase of a paused user with an event_time before paused_until earns 0 (PAUSED, points withheld).
 *
 * <p>A window is dropped from the account once the stream time is past its end by the allowed lateness (no on-time
 * purchase can reach it any more), so per-user state stays a few entries.
 */
public final class FraudPause {
    private final long limitPoints;
    private final Duration window;
    private final Duration pause;
    private final Duration allowedLateness;

    public FraudPause(
            final long limitPoints, final Duration window, final Duration pause, final Duration allowedLateness) {
        this.limitPoints = limitPoints;
        this.window = requireNonNull(window, "window is null");
        this.pause = requireNonNull(pause, "pause is null");
        this.allowedLateness = requireNonNull(allowedLateness, "allowedLateness is null");
    }

    /** What the rule decided for one purchase: the account after it, whether it was withheld, the alert if any. */
    public record Decision(Account account, boolean paused, FraudAlert alert) {}

    /** The start (epoch millis) of the window holding {@code eventTime}. */
    public long windowStart(final Instant eventTime) {
        final long size = window.toMillis();
        return Math.floorDiv(eventTime.toEpochMilli(), size) * size;
    }

    /**
     * Applies one purchase worth {@code points} to the account. A {@code late} purchase never counts into a window
     * (its window is closed for it, CONTRACT 4.4) but is still paused when the user is.
     */
    public Decision apply(
            final Account account,
            final PurchaseEvent purchase,
            final long points,
            final boolean late,
            final Instant streamTime) {
        final NavigableMap<Long, Long> openWindows = openWindows(account.windowPoints(), streamTime.toEpochMilli());
        if (account.isPausedAt(purchase.eventTime())) {
            return new Decision(new Account(account.balance(), account.pausedUntil(), openWindows), true, null);
        }
        Instant pausedUntil = account.pausedUntil();
        FraudAlert alert = null;
        if (!late) {
            final long windowStart = windowStart(purchase.eventTime());
            final long before = openWindows.getOrDefault(windowStart, 0L);
            final long after = before + points;
            openWindows.put(windowStart, after);
            if (before <= limitPoints && after > limitPoints) {
                pausedUntil = purchase.eventTime().plus(pause);
                alert = new FraudAlert(
                        purchase.userId(),
                        Instant.ofEpochMilli(windowStart),
                        Instant.ofEpochMilli(windowStart + window.toMillis()),
                        after,
                        purchase.transactionId(),
                        pausedUntil);
            }
        }
        return new Decision(
                new Account(Math.addExact(account.balance(), points), pausedUntil, openWindows), false, alert);
    }

    /** A window is closed once the stream time has passed its end by the allowed lateness. */
    private boolean isClosed(final long windowStart, final long streamTime) {
        return windowStart + window.toMillis() + allowedLateness.toMillis() <= streamTime;
    }

    private NavigableMap<Long, Long> openWindows(final NavigableMap<Long, Long> windows, final long streamTime) {
        final NavigableMap<Long, Long> open = new TreeMap<>();
        windows.forEach((start, points) -> {
            if (!isClosed(start, streamTime)) {
                open.put(start, points);
            }
        });
        return open;
    }
}
