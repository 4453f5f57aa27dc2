package io.loyaltylakehouse.cdc.ops;

import io.loyaltylakehouse.cdc.mapping.MappedEvent;
import io.loyaltylakehouse.common.ops.Metrics;
import io.prometheus.metrics.core.metrics.Counter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the bridge reports on {@code /metrics} (prefix {@code cdc_bridge_}): changes by table and op, snapshot
 * progress, dead letters, re-issues after a member's user_id change, the WAL the replication slot retains and the
 * seconds since the newest change or heartbeat that Kafka acknowledged; beside them Debezium's own streaming and
 * snapshot metrics ({@link DebeziumJmxMetrics}) and the JVM's.
 */
public final class BridgeMetrics {
    public static final String PREFIX = "cdc_bridge_";

    /** Where the initial snapshot is. */
    public enum SnapshotState {
        NOT_STARTED,
        RUNNING,
        COMPLETE
    }

    private final Metrics metrics = new Metrics(PREFIX);
    private final Clock clock;
    private final AtomicLong newestSourceMs;
    private final Counter events;
    private final Counter snapshotRows;
    private final Counter heartbeats;
    private final Counter skipped;
    private final Counter deadLetters;
    private final Counter businessKeyChanges;
    private final Counter memberUserIdChanges;
    private final Counter reissued;
    private final Counter engineRestarts;
    private final Counter truncates;
    private volatile long lastDeliveredMs;
    private volatile double slotLagAtLastDelivery = Double.NaN;
    private volatile double slotLagBytes = Double.NaN;
    private volatile SnapshotState snapshot = SnapshotState.NOT_STARTED;

    public BridgeMetrics(final Clock clock) {
        this.clock = clock;
        this.newestSourceMs = new AtomicLong(clock.millis());
        this.lastDeliveredMs = clock.millis();
        metrics.gauge(
                "replication_slot_wal_retained_bytes",
                "WAL bytes the replication slot holds back (NaN until " + "read)",
                () -> slotLagBytes);
        metrics.gauge(
                "replication_lag_seconds",
                "Seconds since the commit time of the newest change or heartbeat " + "acknowledged by Kafka",
                this::lagSeconds);
        metrics.gauge(
                "seconds_since_delivery",
                "Seconds since Kafka last acknowledged a batch (changes or heartbeats)",
                () -> Math.max(0, clock.millis() - lastDeliveredMs) / 1000.0);
        metrics.gauge(
                "snapshot_running",
                "1 while the initial snapshot is being read",
                () -> snapshot == SnapshotState.RUNNING ? 1 : 0);
        metrics.gauge(
                "snapshot_complete",
                "1 once the initial snapshot is done (or was done before a restart)",
                () -> snapshot == SnapshotState.COMPLETE ? 1 : 0);
        events = metrics.counter("events_total", "Legacy changes delivered, by table and op", "table", "op");
        snapshotRows = metrics.counter("snapshot_rows_total", "Rows read by the initial snapshot", "table");
        heartbeats = metrics.counter("heartbeats_total", "Heartbeats seen");
        skipped = metrics.counter("skipped_total", "Events that carry no row change (tombstones, truncates)");
        deadLetters = metrics.counter("dead_letters_total", "Rows sent to the dead-letter topic", "table");
        businessKeyChanges =
                metrics.counter("business_key_changed_total", "Updates that moved a transaction to a new business key");
        memberUserIdChanges =
                metrics.counter("member_user_id_changed_total", "Members whose user_id changed after they were seen");
        reissued =
                metrics.counter("ledger_changes_reissued_total", "Ledger changes re-sent with a member's new user_id");
        engineRestarts = metrics.counter(
                "engine_restarts_total", "Times the engine was started again after it stopped on an error");
        truncates = metrics.counter(
                "legacy_truncates_total", "TRUNCATEs of a legacy table (dead-lettered: nothing was voided)", "table");
        metrics.register(new DebeziumJmxMetrics());
    }

    /** Called once the event's records are acknowledged by Kafka. */
    public void delivered(final MappedEvent event) {
        lastDeliveredMs = clock.millis();
        slotLagAtLastDelivery = slotLagBytes;
        if ("t".equals(event.op())) {
            truncates.labelValues(event.table()).inc();
        }
        if (event.kind() == MappedEvent.Kind.CHANGE && !event.op().isEmpty()) {
            events.labelValues(event.table(), event.op()).inc();
            if ("r".equals(event.op())) {
                snapshotRows.labelValues(event.table()).inc();
            }
        } else if (event.kind() == MappedEvent.Kind.HEARTBEAT) {
            heartbeats.inc();
        } else {
            skipped.inc();
        }
        if (event.deadLettered() > 0) {
            deadLetters.labelValues(event.table()).inc(event.deadLettered());
        }
        if (event.businessKeyChanged()) {
            businessKeyChanges.inc();
        }
        if (event.userIdChange() != null) {
            memberUserIdChanges.inc();
        }
        snapshot = event.snapshotComplete()
                ? SnapshotState.COMPLETE
                : event.inSnapshot() ? SnapshotState.RUNNING : snapshot;
        newestSourceMs.accumulateAndGet(event.sourceTsMs(), Math::max);
    }

    public void reissued(final int count) {
        reissued.inc(count);
    }

    public void engineRestarted() {
        engineRestarts.inc();
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

    /**
     * True when nothing was delivered for {@code after} although the slot's lag grew since the last delivery: the
     * engine runs but the slot does not move (a record that keeps failing, a producer that blocks).
     */
    public boolean stalled(final Duration after) {
        final double lagThen = slotLagAtLastDelivery;
        final double lagNow = slotLagBytes;
        return clock.millis() - lastDeliveredMs > after.toMillis()
                && !Double.isNaN(lagNow)
                && (Double.isNaN(lagThen) || lagNow > lagThen);
    }
}
