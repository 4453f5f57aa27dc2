package io.loyaltylakehouse.load.oracle;

import java.time.Duration;
import java.util.Objects;

/** The parameters of CONTRACT section 4 the oracle applies; they must equal edge-streams' settings. */
public record Rules(Duration allowedLateness, Duration fraudWindow, long fraudLimit, Duration pause) {

    /** The contract's defaults: 10 minutes lateness, 5-minute windows, more than 1000 points, 1-hour pause. */
    public static final Rules CONTRACT = new Rules(Duration.ofMinutes(10), Duration.ofMinutes(5), 1000, Duration.ofHours(1));

    public Rules {
        Objects.requireNonNull(allowedLateness, "allowedLateness is null");
        Objects.requireNonNull(fraudWindow, "fraudWindow is null");
        Objects.requireNonNull(pause, "pause is null");
        if (fraudWindow.isZero() || fraudWindow.isNegative()) {
            throw new IllegalArgumentException("fraud window must be positive, got " + fraudWindow);
        }
    }

    /** Start of the epoch-aligned tumbling window holding {@code eventTimeMs}. */
    public long windowStart(final long eventTimeMs) {
        return Math.floorDiv(eventTimeMs, fraudWindow.toMillis()) * fraudWindow.toMillis();
    }
}
