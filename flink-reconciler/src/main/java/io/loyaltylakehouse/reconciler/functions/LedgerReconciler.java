package io.loyaltylakehouse.reconciler.functions;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.AuditRow.Resolution;
import io.loyaltylakehouse.reconciler.records.KeyState;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keyed by business key: remembers what each system says of the key ({@link KeyState}) and, whenever either
 * changes, emits the key's unified ledger row (main output) and its audit row ({@link #AUDIT}). The rules
 * are {@link Reconciliation#decide} and {@link UserOwnership}.
 * <p>
 * Ordering: a legacy change with an lsn at or below the one already seen is stale (a replay or an
 * out-of-order delivery) and ignored; a repeated real-time entry is ignored unless it was recorded later.
 * <p>
 * State never expires: a legacy UPDATE, DELETE, member re-key or re-snapshot months after the purchase must
 * still see the real-time entry, or it would overwrite the merged row as if legacy-only (real-time points
 * lost, a real purchase VOIDed). One compact record per key lives in RocksDB, on disk, with incremental
 * checkpoints, so the number of keys is bounded by disk rather than heap.
 */
public class LedgerReconciler extends KeyedCoProcessFunction<String, LedgerEntry, LegacyLedgerChange, LedgerRow> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LedgerReconciler.class);

    public static final OutputTag<AuditRow> AUDIT = new OutputTag<>("reconciliation-audit") {};

    static final String KEY_STATE = "key-state";

    private transient ValueState<KeyState> keys;
    private transient Counter staleLegacyChanges;
    private transient Counter refusedUserChanges;
    private transient Map<Resolution, Counter> decisions;

    @Override
    public void open(final OpenContext openContext) {
        keys = getRuntimeContext().getState(new ValueStateDescriptor<>(KEY_STATE, KeyState.class));
        staleLegacyChanges = getRuntimeContext().getMetricGroup().counter("staleLegacyChanges");
        refusedUserChanges = getRuntimeContext().getMetricGroup().counter("refusedUserChanges");
        decisions = new EnumMap<>(Resolution.class);
        for (final Resolution resolution : Resolution.values()) {
            decisions.put(
                    resolution,
                    getRuntimeContext()
                            .getMetricGroup()
                            .addGroup("resolution", resolution.name())
                            .counter("reconcileDecisions"));
        }
    }

    @Override
    public void processElement1(final LedgerEntry entry, final Context ctx, final Collector<LedgerRow> out)
            throws Exception {
        final KeyState known = current();
        if (known.realtime() != null && !recordedLater(entry, known.realtime())) {
            return;
        }
        if (UserOwnership.refuses(known, entry)) {
            refuse(known, "real-time", entry.businessKey(), entry.userId(), ctx);
            return;
        }
        reconcile(known.withRealtime(entry), ctx, out);
    }

    @Override
    public void processElement2(final LegacyLedgerChange change, final Context ctx, final Collector<LedgerRow> out)
            throws Exception {
        final KeyState known = current();
        if (known.legacy() != null && change.lsn() <= known.legacy().lsn()) {
            staleLegacyChanges.inc();
            return;
        }
        if (UserOwnership.refuses(known, change)) {
            refuse(known, "legacy txn " + change.legacyTxnId(), change.businessKey(), change.userId(), ctx);
            return;
        }
        reconcile(known.withLegacy(change), ctx, out);
    }

    private KeyState current() throws Exception {
        final KeyState known = keys.value();
        return known == null ? KeyState.EMPTY : known;
    }

    /** The row stays as it is; the key is a CONFLICT from now on. */
    private void refuse(
            final KeyState known, final String side, final String businessKey, final String userId, final Context ctx)
            throws Exception {
        final KeyState conflicted = known.withUserConflict();
        keys.update(conflicted);
        refusedUserChanges.inc();
        LOG.warn(
                "refused a {} entry for business key '{}' under user '{}': the row belongs to '{}' (audited as CONFLICT)",
                side,
                businessKey,
                userId,
                known.ownerUserId());
        ctx.output(AUDIT, decide(conflicted).audit());
    }

    private void reconcile(final KeyState next, final Context ctx, final Collector<LedgerRow> out) throws Exception {
        keys.update(next);
        final Reconciliation.Decision decision = decide(next);
        out.collect(decision.row());
        ctx.output(AUDIT, decision.audit());
        decisions.get(decision.audit().resolution()).inc();
    }

    private static Reconciliation.Decision decide(final KeyState state) {
        final Reconciliation.Decision decision = Reconciliation.decide(state.realtime(), state.legacy());
        if (!state.userConflict()) {
            return decision;
        }
        final AuditRow audit = decision.audit();
        return new Reconciliation.Decision(
                decision.row(),
                new AuditRow(
                        audit.businessKey(),
                        audit.realtimePoints(),
                        audit.legacyPoints(),
                        Resolution.CONFLICT,
                        audit.decidedAt()));
    }

    private static boolean recordedLater(final LedgerEntry candidate, final LedgerEntry known) {
        return candidate.recordedAt() != null
                && known.recordedAt() != null
                && candidate.recordedAt().isAfter(known.recordedAt());
    }
}
