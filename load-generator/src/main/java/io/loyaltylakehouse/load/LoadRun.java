package io.loyaltylakehouse.load;

import io.loyaltylakehouse.load.traffic.Action;
import io.loyaltylakehouse.load.traffic.TrafficPlanner;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Executes a plan: each action goes to Kafka or the legacy DB in planned order, at the configured rate.
 *
 * <p>Purchases and redemptions of one user sit in two topics, which the pipeline reads in event-time order but only
 * among the records already fetched. So before a user's record goes to one of the two topics, the user's last
 * record on the other one must be acknowledged by the broker and, through the {@link OrderingBarrier}, consumed by
 * the pipeline: it can then never see them the other way round. Likewise a promotion or its withdrawal is followed
 * by more events only once edge-streams' promotions store applied it ({@link PromotionsAppliedBarrier}).
 */
final class LoadRun {
    private static final int RECENT_IDS = 50_000;
    private final TrafficPlanner planner;
    private final EventSink events;
    private final LegacyWriter legacy;
    private final Pacer pacer;
    private final ProgressBar progress;
    private final OrderingBarrier promotionsApplied;
    private final String purchases;
    private final String redemptions;
    private final OrderingBarrier barrier;
    private final Map<String, Future<RecordMetadata>> lastPurchase = new HashMap<>();
    private final Map<String, Future<RecordMetadata>> lastRedemption = new HashMap<>();
    /** Recent sends by the id they carry, for a later record that must wait until its id was consumed. */
    private final Map<String, Future<RecordMetadata>> byId = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Future<RecordMetadata>> eldest) {
            return size() > RECENT_IDS;
        }
    };

    private long orderingWaits;

    LoadRun(
            final TrafficPlanner planner,
            final EventSink events,
            final LegacyWriter legacy,
            final Pacer pacer,
            final ProgressBar progress,
            final String purchases,
            final String redemptions,
            final OrderingBarrier barrier,
            final OrderingBarrier promotionsApplied) {
        this.barrier = barrier;
        this.planner = planner;
        this.events = events;
        this.legacy = legacy;
        this.pacer = pacer;
        this.progress = progress;
        this.promotionsApplied = promotionsApplied;
        this.purchases = purchases;
        this.redemptions = redemptions;
    }

    void run() throws InterruptedException {
        while (planner.hasNext()) {
            pacer.await(planner.planned());
            final Action action = planner.next();
            if (action instanceof Action.Send send) {
                send(send);
            } else if (action instanceof Action.LegacyWrite write) {
                legacy.execute(write.op());
            }
            progress.update(planner.planned());
        }
        events.flush();
        legacy.flush();
        progress.finish(planner.planned());
    }

    private void send(final Action.Send send) throws InterruptedException {
        final boolean purchase = send.topic().equals(purchases);
        final boolean redemption = send.topic().equals(redemptions);
        if (purchase || redemption) {
            awaitConsumed(barrier, (purchase ? lastRedemption : lastPurchase).remove(send.key()));
        }
        if (send.after() != null) {
            awaitConsumed(barrier, byId.get(send.after()));
        }
        awaitWallClock(send.receivedAt());
        final Future<RecordMetadata> sent =
                events.send(send.topic(), send.key(), send.partition(), send.receivedAt(), send.value());
        if (send.id() != null) {
            byId.put(send.id(), sent);
        }
        if (purchase) {
            lastPurchase.put(send.key(), sent);
        } else if (redemption) {
            lastRedemption.put(send.key(), sent);
        } else if (send.kind() == Action.Kind.PROMOTION || send.kind() == Action.Kind.WITHDRAWAL) {
            events.flush();
            awaitConsumed(promotionsApplied, sent);
        }
    }

    /**
     * A record is stamped with the simulated time it was planned at, its receiving clock in the truth; edge-streams
     * never lets a timestamp run ahead of its own clock, so a record is not sent before the wall clock reaches it
     * (a run only gets ahead of the wall clock when earlier runs reach past now, and then at most load.max-ahead).
     */
    private static void awaitWallClock(final Instant timestamp) throws InterruptedException {
        final long ahead = timestamp == null ? 0 : timestamp.toEpochMilli() - System.currentTimeMillis();
        if (ahead > 0) {
            Thread.sleep(ahead);
        }
    }

    /** How often a send had to wait for the user's previous record on the other topic. */
    long orderingWaits() {
        return orderingWaits;
    }

    private void awaitConsumed(final OrderingBarrier by, final Future<RecordMetadata> sent)
            throws InterruptedException {
        if (sent == null) {
            return;
        }
        if (!sent.isDone()) {
            orderingWaits++;
        }
        final RecordMetadata acked;
        try {
            acked = sent.get();
        } catch (final ExecutionException e) {
            throw new IllegalStateException(
                    "a send failed, the run stops here: " + e.getCause().getMessage(), e);
        }
        if (acked != null) {
            by.awaitConsumed(acked.topic(), acked.partition(), acked.offset());
        }
    }
}
