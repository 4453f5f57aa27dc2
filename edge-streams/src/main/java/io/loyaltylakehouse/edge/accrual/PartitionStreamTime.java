package io.loyaltylakehouse.edge.accrual;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;

/**
 * The stream time CONTRACT 4.4 measures lateness against, per input partition: the highest event_time of the
 * valid purchases and redemptions read from it, where an event_time ahead of its record's receiving clock counts only up to
 * {@code maxLead} past it. A record dated up to the accepted future skew (1 h) is accepted and awarded, but it can
 * push its partition's stream time no further than its receiving clock + {@code maxLead}, so on-time purchases of other users behind
 * it stay on time (they are at most {@code maxLead} behind, well inside the allowed lateness).
 */
public final class PartitionStreamTime {
    private final Duration maxLead;

    public PartitionStreamTime(final Duration maxLead) {
        this.maxLead = requireNonNull(maxLead, "maxLead is null");
    }

    /** The partition's stream time after a record at {@code eventTime} received at {@code received}; {@code current} may be null. */
    public long advance(final Long current, final Instant eventTime, final Instant received) {
        final long counted = Math.min(eventTime.toEpochMilli(), received.toEpochMilli() + maxLead.toMillis());
        return current == null ? counted : Math.max(current, counted);
    }
}
