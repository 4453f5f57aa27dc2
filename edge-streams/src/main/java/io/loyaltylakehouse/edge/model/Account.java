package io.loyaltylakehouse.edge.model;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Everything edge-streams keeps per user, in one store value so a purchase or redemption reads and writes
 * it once: the balance, the fraud pause and the points awarded in the user's still-open fraud windows
 * (window start in epoch millis -> points). Closed windows are dropped, so the map stays a few entries long.
 */
public record Account(long balance, Instant pausedUntil, NavigableMap<Long, Long> windowPoints) {

    public static final Account NEW = new Account(0, null, new TreeMap<>());

    public Account {
        requireNonNull(windowPoints, "windowPoints is null");
        windowPoints = Collections.unmodifiableNavigableMap(new TreeMap<>(windowPoints));
    }

    /** CONTRACT 4.3: a purchase is paused when its event_time is before paused_until. */
    public boolean isPausedAt(final Instant eventTime) {
        return pausedUntil != null && eventTime.isBefore(pausedUntil);
    }
}
