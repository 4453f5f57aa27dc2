package io.loyaltylakehouse.reconciler.functions;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.AuditRow.Resolution;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by business key: remembers the real-time ledger entry and the newest legacy change of the key and,
 * whenever either changes, emits the key's unified ledger row (main output) and its audit row
 * ({@link #AUDIT}). The rules themselves are {@link Reconciliation#decide}.
 * <p>
 * Ordering: a legacy change with an lsn at or below the one already seen is stale (a replay or an
 * out-of-order delivery) and ignored; a repeated real-time entry is ignored unless it was recorded later.
 * <p>
 * State is bounded by a processing-time cleanup timer, pushed forward on every change: after
 * {@code retention} without news the key is forgotten. The retention must exceed the longest delay between
 * the two systems recording the same purchase, or a very late legacy change would be seen as legacy-only.
 */
public class LedgerReconciler extends KeyedCoProcessFunction<String, LedgerEntry, LegacyLedgerChange, LedgerRow> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<AuditRow> AUDIT = new OutputTag<>("reconciliation-audit") {
    };

    static final String REALTIME_STATE = "realtime-entry";
    static final String LEGACY_STATE = "legacy-change";
    static final String CLEANUP_STATE = "cleanup-at";

    private final long retentionMs;

    private transient ValueState<LedgerEntry> realtime;
    private transient ValueState<LegacyLedgerChange> legacy;
    private transient ValueState<Long> cleanupAt;
    private transient Counter staleLegacyChanges;
    private transient Map<Resolution, Counter> decisions;

    public LedgerReconciler(final Duration retention) {
        Objects.requireNonNull(retention, "retention is null");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("state retention must be positive, was " + retention);
        }
        this.retentionMs = retention.toMillis();
    }

    @Override
    public void open(final OpenContext openContext) {
        realtime = getRuntimeContext().getState(new ValueStateDescriptor<>(REALTIME_STATE, LedgerEntry.class));
        legacy = getRuntimeContext().getState(new ValueStateDescriptor<>(LEGACY_STATE, LegacyLedgerChange.class));
        cleanupAt = getRuntimeContext().getState(new ValueStateDescriptor<>(CLEANUP_STATE, Long.class));
        staleLegacyChanges = getRuntimeContext().getMetricGroup().counter("staleLegacyChanges");
        decisions = new EnumMap<>(Resolution.class);
        for (final Resolution resolution : Resolution.values()) {
            decisions.put(resolution, getRuntimeContext().getMetricGroup().addGroup("resolution", resolution.name())
                    .counter("reconcileDecisions"));
        }
    }

    @Override
    public void processElement1(final LedgerEntry entry, final Context ctx, final Collector<LedgerRow> out)
            throws Exception {
        final LedgerEntry known = realtime.value();
        if (known != null && !recordedLater(entry, known)) {
            return;
        }
        realtime.update(entry);
        reconcile(ctx, out);
    }

    @Override
    public void processElement2(final LegacyLedgerChange change, final Context ctx, final Collector<LedgerRow> out)
            throws Exception {
        final LegacyLedgerChange known = legacy.value();
        if (known != null && change.lsn() <= known.lsn()) {
            staleLegacyChanges.inc();
            return;
        }
        legacy.update(change);
        reconcile(ctx, out);
    }

    @Override
    public void onTimer(final long timestamp, final OnTimerContext ctx, final Collector<LedgerRow> out)
            throws Exception {
        final Long due = cleanupAt.value();
        if (due != null && due == timestamp) {
            realtime.clear();
            legacy.clear();
            cleanupAt.clear();
        }
    }

    private void reconcile(final Context ctx, final Collector<LedgerRow> out) throws Exception {
        final Reconciliation.Decision decision = Reconciliation.decide(realtime.value(), legacy.value());
        out.collect(decision.row());
        ctx.output(AUDIT, decision.audit());
        decisions.get(decision.audit().resolution()).inc();
        postponeCleanup(ctx);
    }

    private void postponeCleanup(final Context ctx) throws Exception {
        final Long previous = cleanupAt.value();
        if (previous != null) {
            ctx.timerService().deleteProcessingTimeTimer(previous);
        }
        final long due = ctx.timerService().currentProcessingTime() + retentionMs;
        ctx.timerService().registerProcessingTimeTimer(due);
        cleanupAt.update(due);
    }

    private static boolean recordedLater(final LedgerEntry candidate, final LedgerEntry known) {
        return candidate.recordedAt() != null && known.recordedAt() != null
                && candidate.recordedAt().isAfter(known.recordedAt());
    }
}
