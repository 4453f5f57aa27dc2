package io.loyaltylakehouse.load;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Where a run's simulated event time lies. It ends about now, so event times look current, but it never starts
 * before the latest event time already on the inputs: stream time per partition survives restarts, and events
 * behind it would all be late. A run that would then pass now has its spacing shrunk to end by now; when even
 * the tightest spacing cannot (earlier runs reach about now or past it), the run goes ahead of the wall clock, at
 * most {@code maxAhead} (edge-streams dead-letters event times too far ahead), and if that does not fit either, it
 * first waits ({@code notBefore}) for the wall clock to catch up.
 * A run spans at most {@code maxSpan} of event time (the spacing shrinks to fit): edge-streams drops a promotion
 * that ended more than a day ago on the wall clock ({@code edge.promotion.retention}), so purchases older than
 * that would lose promotions the truth gives them.
 */
record Timeline(Instant start, Duration spacing, Instant notBefore) {
    static final Duration MIN_SPACING = Duration.ofMillis(20);
    static final Duration MAX_WAIT = Duration.ofMinutes(10);

    static Timeline of(
            final Instant now,
            final Optional<Instant> latestOnTopics,
            final Optional<Instant> configuredStart,
            final long events,
            final Duration configuredSpacing,
            final Duration maxAhead,
            final Duration maxSpan) {
        final long count = Math.max(1, events);
        final Duration spacing = configuredSpacing.multipliedBy(count).compareTo(maxSpan) > 0
                ? maxSpan.dividedBy(count)
                : configuredSpacing;
        if (configuredStart.isPresent()) {
            return new Timeline(configuredStart.get(), spacing, now);
        }
        final Duration span = spacing.multipliedBy(count);
        final Instant earliest =
                latestOnTopics.map(latest -> latest.plus(Duration.ofMinutes(1))).orElse(Instant.MIN);
        Instant start = now.minus(span).truncatedTo(ChronoUnit.SECONDS);
        if (start.isBefore(earliest)) {
            start = earliest.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        }
        if (!start.plus(span).isAfter(now)) {
            return new Timeline(start, spacing, now);
        }
        // Ending by now beats going ahead: the records ahead of the wall clock are sent only as it reaches them.
        final Duration byNow = Duration.between(start, now).dividedBy(count);
        if (byNow.compareTo(MIN_SPACING) >= 0) {
            return new Timeline(start, byNow, now);
        }
        final Duration room = Duration.between(start, now.plus(maxAhead));
        if (span.compareTo(room) <= 0) {
            return new Timeline(start, spacing, now);
        }
        final Duration squeezed = room.dividedBy(count);
        if (squeezed.compareTo(MIN_SPACING) >= 0) {
            return new Timeline(start, squeezed, now);
        }
        final Instant notBefore = start.plus(MIN_SPACING.multipliedBy(count)).minus(maxAhead);
        if (Duration.between(now, notBefore).compareTo(MAX_WAIT) > 0) {
            throw new IllegalStateException("earlier runs' events reach " + earliest + ": " + events + " more events"
                    + " would run more than " + maxAhead + " ahead of the wall clock (edge-streams dead-letters event"
                    + " times too far ahead) unless the run waited until " + notBefore + "; lower EVENTS, or wait");
        }
        return new Timeline(start, MIN_SPACING, notBefore);
    }

    /**
     * True when the run's last event time is at most 10 minutes after {@code now}: a purchase dated 40 minutes after
     * it is then still inside the 1 h skew.
     */
    boolean endsNearNow(final Instant now, final long events) {
        return !start.plus(spacing.multipliedBy(Math.max(1, events))).isAfter(now.plus(Duration.ofMinutes(10)));
    }
}
