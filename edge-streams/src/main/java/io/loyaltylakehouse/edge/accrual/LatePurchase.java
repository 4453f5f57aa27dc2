package io.loyaltylakehouse.edge.accrual;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import java.time.Duration;
import java.time.Instant;

/**
 * CONTRACT 4.4, late events: a purchase more than the allowed lateness behind the stream time of its partition is
 * late. It is still awarded (promotions by its own event_time) but skips fraud windows, and a copy goes to
 * {@code late_events}. Exactly the allowed lateness behind is on time.
 */
public final class LatePurchase {
    private final Duration allowedLateness;

    public LatePurchase(final Duration allowedLateness) {
        this.allowedLateness = requireNonNull(allowedLateness, "allowedLateness is null");
    }

    public Duration allowedLateness() {
        return allowedLateness;
    }

    /** How far behind the stream time the purchase is, 0 when it is not behind. */
    public static long latenessMs(final PurchaseEvent purchase, final Instant streamTime) {
        return Math.max(0, streamTime.toEpochMilli() - purchase.eventTime().toEpochMilli());
    }

    public boolean isLate(final long latenessMs) {
        return latenessMs > allowedLateness.toMillis();
    }

    /** The {@code late_events} copy of a late purchase, with the points its ledger entry got. */
    public static LateEvent lateEvent(
            final PurchaseEvent purchase, final long points, final long latenessMs, final Instant now) {
        return new LateEvent(
                purchase.transactionId(),
                purchase.userId(),
                purchase.storeId(),
                purchase.amount(),
                points,
                purchase.eventTime(),
                latenessMs,
                now);
    }
}
