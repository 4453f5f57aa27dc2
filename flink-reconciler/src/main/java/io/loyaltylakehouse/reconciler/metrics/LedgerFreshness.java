package io.loyaltylakehouse.reconciler.metrics;

import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;

/**
 * End-to-end freshness of the ledger: for each real-time purchase row, the time from its {@code event_time} to the
 * checkpoint that commits it to Iceberg (the sink commits on checkpoint completion), as the histogram
 * {@code commitFreshnessMillis} of this operator (the Prometheus reporter exports its quantiles); beside it
 * {@code commitLatencyMillis}, from edge-streams recording the entry ({@code updated_at}) to the commit: the pipeline's
 * own delay, whatever the event times (a replay or {@code make load}'s simulated clock). A pass-through in front of
 * the ledger sink; it keeps no state, and samples at most {@link #SAMPLES_PER_CHECKPOINT} rows per checkpoint.
 */
public final class LedgerFreshness extends RichMapFunction<LedgerRow, LedgerRow>
        implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final int SAMPLES_PER_CHECKPOINT = 2_000;
    private static final int WINDOW = 10_000;

    private transient Clock clock;
    private transient Histogram freshness;
    private transient Histogram latency;
    private transient List<long[]> sinceBarrier;
    private transient long seenSinceBarrier;
    private transient TreeMap<Long, List<long[]>> awaitingCommit;

    @Override
    public void open(final OpenContext openContext) {
        clock = Clock.systemUTC();
        freshness = getRuntimeContext()
                .getMetricGroup()
                .histogram("commitFreshnessMillis", new DescriptiveStatisticsHistogram(WINDOW));
        latency = getRuntimeContext()
                .getMetricGroup()
                .histogram("commitLatencyMillis", new DescriptiveStatisticsHistogram(WINDOW));
        sinceBarrier = new ArrayList<>();
        awaitingCommit = new TreeMap<>();
    }

    @Override
    public LedgerRow map(final LedgerRow row) {
        if (row.eventTime() != null
                && "EARN".equals(row.entryType())
                && row.sources().startsWith(LedgerRow.SOURCE_REALTIME)) {
            sample(new long[] {
                row.eventTime().toEpochMilli(),
                row.updatedAt() == null
                        ? row.eventTime().toEpochMilli()
                        : row.updatedAt().toEpochMilli()
            });
        }
        return row;
    }

    /** Reservoir sampling, so a burst between two checkpoints costs bounded memory. */
    private void sample(final long[] eventAndRecordedMs) {
        seenSinceBarrier++;
        if (sinceBarrier.size() < SAMPLES_PER_CHECKPOINT) {
            sinceBarrier.add(eventAndRecordedMs);
        } else {
            final long slot = ThreadLocalRandom.current().nextLong(seenSinceBarrier);
            if (slot < SAMPLES_PER_CHECKPOINT) {
                sinceBarrier.set((int) slot, eventAndRecordedMs);
            }
        }
    }

    @Override
    public void snapshotState(final FunctionSnapshotContext context) {
        awaitingCommit.put(context.getCheckpointId(), sinceBarrier);
        sinceBarrier = new ArrayList<>();
        seenSinceBarrier = 0;
    }

    @Override
    public void initializeState(final FunctionInitializationContext context) {
        // nothing to restore: rows replayed after a restart are measured again when they are committed
    }

    @Override
    public void notifyCheckpointComplete(final long checkpointId) {
        final long now = clock.millis();
        final Iterator<Map.Entry<Long, List<long[]>>> committed =
                awaitingCommit.headMap(checkpointId, true).entrySet().iterator();
        while (committed.hasNext()) {
            for (final long[] sample : committed.next().getValue()) {
                freshness.update(Math.max(0, now - sample[0]));
                latency.update(Math.max(0, now - sample[1]));
            }
            committed.remove();
        }
    }
}
