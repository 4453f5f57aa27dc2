package io.loyaltylakehouse.load.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything that fixes a run's traffic: the same plan gives the same records in the same order.
 *
 * @param memberIdBase first legacy member_id the run may use (above what the legacy DB already holds)
 * @param txnIdBase    first legacy txn_id the run may use
 * @param futureDated  plant a purchase dated 40 minutes ahead near the end: only when the run ends near the wall
 *                     clock, so that it is ahead of the receiving clock but inside the 1 h skew
 */
public record TrafficPlan(
        long seed,
        long events,
        String runId,
        Instant start,
        Duration spacing,
        int users,
        double zipfExponent,
        int stores,
        boolean realtime,
        boolean legacy,
        long memberIdBase,
        long txnIdBase,
        TrafficMix mix,
        boolean futureDated) {

    public TrafficPlan {
        Objects.requireNonNull(runId, "runId is null");
        Objects.requireNonNull(start, "start is null");
        Objects.requireNonNull(spacing, "spacing is null");
        Objects.requireNonNull(mix, "mix is null");
        if (!realtime && !legacy) {
            throw new IllegalArgumentException("a run needs real-time or legacy traffic (or both)");
        }
        if (events < 0 || users < 1 || stores < 1) {
            throw new IllegalArgumentException(
                    "events >= 0, users >= 1 and stores >= 1 required, got " + events + ", " + users + ", " + stores);
        }
    }

    /** Users when none are configured: about ten events per user, at least 50. */
    public static int defaultUsers(final long events) {
        return (int) Math.max(50, Math.min(Integer.MAX_VALUE, events / 10));
    }
}
