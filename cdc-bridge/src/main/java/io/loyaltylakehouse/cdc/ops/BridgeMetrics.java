package io.loyaltylakehouse.cdc.ops;

import io.loyaltylakehouse.cdc.mapping.MappedEvent;
import io.loyaltylakehouse.common.ops.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bridge reports on {@code /metrics} (prefix {@code cdc_bridge_}): changes by table and op, snapshot
 * progress, dead letters, re-issues after a member's user_id change, the replication slot's lag in bytes and the
 * seconds since the newest change or heartbeat that Kafka acknowledged.
 */
public final class BridgeMetrics {
    public static final String PREFIX = "cdc_bridge_";

    /** Where the initial snapshot is. */
    public enum SnapshotState { NOT_STARTED, RUNNING, COMPLETE }

    private final Metrics metrics = new Metrics(PREFIX);
    private final Clock clock;
    private final AtomicLong newestSourceMs;
    private volatile long lastDeliveredMs;
    private volatile double slotLagAtLastDelivery = Double.NaN;
    private volatile double slotLagBytes = Double.NaN;
    private volatile SnapshotState snapshot = SnapshotState.NOT_STARTED;

    public BridgeMetrics(final Clock clock) {
        this.clock = clock;
        this.newestSourceMs = new AtomicLong(clock.millis());
        this.lastDeliveredMs = clock.millis();
        metrics.gauge("replication_slot_lag_bytes", "WAL bytes the replication slot holds back (NaN until read)", "",
                () -> slotLagBytes);
        metrics.gauge("replication_lag_seconds", "Seconds since the commit time of the newest change or heartbeat "
                + "acknowledged by Kafka", "", () -> lagSeconds());
        metrics.gauge("seconds_since_delivery", "Seconds since Kafka last acknowledged a batch (changes or heartbeats)",
                "", () -> Math.max(0, clock.millis() - lastDeliveredMs) / 1000.0);
        metrics.gauge("snapshot_running", "1 while the initial snapshot is being read", "",
                () -> snapshot == SnapshotState.RUNNING ? 1 : 0);
        metrics.gauge("snapshot_complete", "1 once the initial snapshot is done (or was done before a restart)", "",
                () -> snapshot == SnapshotState.COMPLETE ? 1 : 0);
    }

    /** Called once the event's records are acknowledged by Kafka. */
    public void delivered(final MappedEvent event) {
        lastDeliveredMs = clock.millis();
        slotLagAtLastDelivery = slotLagBytes;
        if (event.kind() == MappedEvent.Kind.CHANGE && !event.op().isEmpty()) {
            metrics.counter("events_total", "Legacy changes delivered, by table and op", labels(event)).increment();
            if ("r".equals(event.op())) {
                metrics.counter("snapshot_rows_total", "Rows read by the initial snapshot", table(event)).increment();
            }
        } else if (event.kind() == MappedEvent.Kind.HEARTBEAT) {
            metrics.counter("heartbeats_total", "Heartbeats seen", "").increment();
        } else {
            metrics.counter("skipped_total", "Events that carry no row change (tombstones, truncates)", "").increment();
        }
        if ("t".equals(event.op())) {
            metrics.counter("legacy_truncates_total", "TRUNCATEs of a legacy table (dead-lettered: nothing was voided)",
                    table(event)).increment();
        }
        if (event.deadLettered() > 0) {
            metrics.counter("dead_lettered_total", "Rows sent to the dead-letter topic", table(event))
                    .add(event.deadLettered());
        }
        if (event.businessKeyChanged()) {
            metrics.counter("business_key_changed_total", "Updates that moved a transaction to a new business key",
                    "").increment();
        }
        if (event.userIdChange() != null) {
            metrics.counter("member_user_id_changed_total", "Members whose user_id changed after they were seen",
                    "").increment();
        }
        snapshot = event.snapshotComplete() ? SnapshotState.COMPLETE
                : event.inSnapshot() ? SnapshotState.RUNNING : snapshot;
        newestSourceMs.accumulateAndGet(event.sourceTsMs(), Math::max);
    }

    /**
     * True when nothing was delivered for {@code after} although the slot's lag grew since the last delivery: the
     * engine runs but the slot does not move (a record that keeps failing, a producer that blocks).
     */
    public boolean stalled(final Duration after) {
        final double lagThen = slotLagAtLastDelivery;
        final double lagNow = slotLagBytes;
        return clock.millis() - lastDeliveredMs > after.toMillis()
                && !Double.isNaN(lagNow) && (Double.isNaN(lagThen) || lagNow > lagThen);
    }

    public void reissued(final int count) {
        metrics.counter("ledger_changes_reissued_total", "Ledger changes re-sent with a member's new user_id", "")
                .add(count);
    }

    public void engineRestarted() {
        metrics.counter("engine_restarts_total", "Times the engine was started again after it stopped on an error",
                "").increment();
    }

    public void slotLagBytes(final double bytes) {
        slotLagBytes = bytes;
    }

    public double slotLagBytes() {
        return slotLagBytes;
    }

    public double lagSeconds() {
        return Math.max(0, clock.millis() - newestSourceMs.get()) / 1000.0;
    }

    public SnapshotState snapshot() {
        return snapshot;
    }

    public Metrics registry() {
        return metrics;
    }

    private static String labels(final MappedEvent event) {
        return table(event) + ",op=\"" + event.op() + "\"";
    }

    private static String table(final MappedEvent event) {
        return "table=\"" + event.table() + "\"";
    }
}
