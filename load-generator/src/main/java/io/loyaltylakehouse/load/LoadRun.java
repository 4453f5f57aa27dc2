package io.loyaltylakehouse.load;

import io.loyaltylakehouse.load.traffic.Action;
import io.loyaltylakehouse.load.traffic.TrafficPlanner;
import java.util.function.LongConsumer;

/**
 * Executes a plan: each action goes to Kafka (through {@link OrderedSends}, which keeps every user's records in
 * order for the pipeline) or to the legacy DB, in planned order, at the configured rate.
 */
final class LoadRun {
    private final TrafficPlanner planner;
    private final OrderedSends sends;
    private final EventSink events;
    private final LegacyWriter legacy;
    private final Pacer pacer;
    private final ProgressBar progress;
    private final LongConsumer listener;

    LoadRun(
            final TrafficPlanner planner,
            final OrderedSends sends,
            final EventSink events,
            final LegacyWriter legacy,
            final Pacer pacer,
            final ProgressBar progress,
            final LongConsumer listener) {
        this.planner = planner;
        this.sends = sends;
        this.events = events;
        this.legacy = legacy;
        this.pacer = pacer;
        this.progress = progress;
        this.listener = listener;
    }

    void run() throws InterruptedException {
        while (planner.hasNext()) {
            pacer.await(planner.planned());
            final Action action = planner.next();
            if (action instanceof Action.Send send) {
                sends.submit(send);
            } else if (action instanceof Action.LegacyWrite write) {
                legacy.execute(write.op());
            }
            progress.update(planner.planned());
            listener.accept(planner.planned());
        }
        sends.drain();
        events.flush();
        legacy.flush();
        progress.finish(planner.planned());
    }
}
