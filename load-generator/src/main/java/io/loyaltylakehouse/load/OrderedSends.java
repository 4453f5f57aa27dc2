package io.loyaltylakehouse.load;

import io.loyaltylakehouse.load.oracle.TopicLayout;
import io.loyaltylakehouse.load.traffic.Action;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends the run's Kafka records so that the pipeline sees every user's records in planned order, without making
 * the whole run wait for one user.
 *
 * <p>Purchases and redemptions of one user sit in two topics, which the pipeline reads in event-time order but only
 * among the records already fetched. So a user's record goes to one of the two topics only once the user's last
 * record on the other one was consumed ({@code consumed}, an {@link OrderingBarrier}); a record reusing another
 * record's id likewise waits until that one was consumed. Until then it is held, with every later record of the same
 * user behind it, while other users' records go on. A held record is overtaken by later event times on its
 * partition, so it may be held for at most {@code maxHold} of simulated time (half the allowed lateness: it stays on
 * time, and its fraud window open); past that the run blocks until it can go. A promotion or its withdrawal first
 * sends everything held (a purchase planned before it must not see it), then waits until edge-streams' promotions
 * store applied it ({@code promotionsApplied}). A record goes to a partition of one input topic only once every
 * record sent to the same partition number of the other one and planned more than {@code ackSlack} before it was
 * acked: the pipeline counts lateness against stream time per partition number over both topics, and a batch the
 * producer retries lands after later records of the other topic, which the pipeline may read first. So a record read
 * before an unacked one of the other topic is at most {@code ackSlack} later; with the slack within {@code maxHold}
 * that adds nothing to the lateness the holding already allows. The run waits for such an ack rather than hold the
 * record: held, it is overtaken on its partition number, and in a chaos run that made on-time purchases late
 * (load-generator README, "What the ground truth assumes").
 */
final class OrderedSends {
    private static final int RECENT_IDS = 50_000;

    private final EventSink events;
    private final TopicLayout layout;
    private final OrderingBarrier consumed;
    private final OrderingBarrier promotionsApplied;
    private final Duration maxHold;
    private final Duration ackSlack;
    private final Map<String, Future<RecordMetadata>> lastPurchase = new HashMap<>();
    private final Map<String, Future<RecordMetadata>> lastRedemption = new HashMap<>();
    /** Recent sends by the id they carry, for a later record that must wait until its id was consumed. */
    private final Map<String, Future<RecordMetadata>> byId = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, Future<RecordMetadata>> eldest) {
            return size() > RECENT_IDS;
        }
    };
    /** Held records by key, each queue in planned order; the map in the order the users were first held. */
    private final Map<String, ArrayDeque<Action.Send>> held = new LinkedHashMap<>();

    private final Set<String> heldIds = new HashSet<>();
    /** The sends not yet seen acked, per input topic and partition number, in the order sent. */
    private final Map<String, ArrayDeque<Pending>[]> unacked = new HashMap<>();

    private long heldCount;
    private long blocked;
    private long ackWaits;
    private long ackWaitedNanos;

    OrderedSends(
            final EventSink events,
            final TopicLayout layout,
            final OrderingBarrier consumed,
            final OrderingBarrier promotionsApplied,
            final Duration maxHold,
            final Duration ackSlack) {
        if (ackSlack.compareTo(maxHold) > 0) {
            throw new IllegalArgumentException("the ack slack (" + ackSlack + ") must not exceed the longest hold ("
                    + maxHold + "): more would let on-time purchases become late");
        }
        this.events = events;
        this.layout = layout;
        unacked.put(layout.purchases(), queues(layout.partitions()));
        unacked.put(layout.redemptions(), queues(layout.partitions()));
        this.consumed = consumed;
        this.promotionsApplied = promotionsApplied;
        this.maxHold = maxHold;
        this.ackSlack = ackSlack;
    }

    private record Pending(Instant plannedAt, Future<RecordMetadata> sent) {}

    @SuppressWarnings("unchecked")
    private static ArrayDeque<Pending>[] queues(final int partitions) {
        final ArrayDeque<Pending>[] queues = new ArrayDeque[partitions];
        for (int i = 0; i < partitions; i++) {
            queues[i] = new ArrayDeque<>();
        }
        return queues;
    }

    /** Sends {@code send} now, or holds it until what it must follow was consumed. */
    void submit(final Action.Send send) throws InterruptedException {
        if (send.kind() == Action.Kind.PROMOTION || send.kind() == Action.Kind.WITHDRAWAL) {
            drain();
            final Future<RecordMetadata> sent = dispatch(send);
            events.flush();
            await(promotionsApplied, sent);
            return;
        }
        release();
        // only the promotions topic has records without a receiving clock, and nothing there waits
        if (send.receivedAt() != null && (held.containsKey(send.key()) || !ready(send))) {
            held.computeIfAbsent(send.key(), key -> new ArrayDeque<>()).add(send);
            if (send.id() != null) {
                heldIds.add(send.id());
            }
            heldCount++;
        } else {
            dispatch(send);
        }
        if (send.receivedAt() != null) {
            holdAtMost(send.receivedAt().minus(maxHold));
        }
    }

    /** Sends every held record, waiting as long as each needs. */
    void drain() throws InterruptedException {
        holdAtMost(Instant.MAX);
    }

    /** How many records were held back behind a record not yet consumed. */
    long held() {
        return heldCount;
    }

    /** How often the whole run had to wait for a held record. */
    long blocked() {
        return blocked;
    }

    /** How often the run waited for the broker to acknowledge a record before it could send the next. */
    long ackWaits() {
        return ackWaits;
    }

    /** How long those waits took in all. */
    Duration ackWaited() {
        return Duration.ofNanos(ackWaitedNanos);
    }

    /** Sends, without waiting, each user's held records from the head while they are ready. */
    private void release() {
        final Iterator<ArrayDeque<Action.Send>> users = held.values().iterator();
        while (users.hasNext()) {
            final ArrayDeque<Action.Send> queue = users.next();
            while (!queue.isEmpty() && ready(queue.peek())) {
                dispatch(unhold(queue.poll()));
            }
            if (queue.isEmpty()) {
                users.remove();
            }
        }
    }

    /** Blocks until no held record was planned before {@code oldest}; whole queues go, to keep each user's order. */
    private void holdAtMost(final Instant oldest) throws InterruptedException {
        while (!held.isEmpty()) {
            final Map.Entry<String, ArrayDeque<Action.Send>> first = oldestHeld();
            if (!first.getValue().peek().receivedAt().isBefore(oldest)) {
                return;
            }
            blocked++;
            final ArrayDeque<Action.Send> queue = held.remove(first.getKey());
            for (final Action.Send send : queue) {
                awaitPredecessors(send);
                dispatch(unhold(send));
            }
        }
    }

    /** The queue whose head was planned first (a user held after another may have an earlier head only rarely). */
    private Map.Entry<String, ArrayDeque<Action.Send>> oldestHeld() {
        Map.Entry<String, ArrayDeque<Action.Send>> oldest = null;
        for (final Map.Entry<String, ArrayDeque<Action.Send>> entry : held.entrySet()) {
            if (oldest == null
                    || entry.getValue()
                            .peek()
                            .receivedAt()
                            .isBefore(oldest.getValue().peek().receivedAt())) {
                oldest = entry;
            }
        }
        return oldest;
    }

    private Action.Send unhold(final Action.Send send) {
        if (send.id() != null) {
            heldIds.remove(send.id());
        }
        return send;
    }

    private boolean ready(final Action.Send send) {
        if (send.after() != null && heldIds.contains(send.after())) {
            return false;
        }
        return isConsumed(predecessor(send)) && isConsumed(send.after() == null ? null : byId.get(send.after()));
    }

    /**
     * Waits for the acks of the other input topic's sends to the same partition number that were planned more than
     * the slack before {@code send}; none for a promotion.
     */
    private void awaitOtherInputsAcks(final Action.Send send) {
        if (!unacked.containsKey(send.topic())) {
            return;
        }
        final ArrayDeque<Pending> other = unacked.get(otherInput(send.topic()))[partitionOf(send)];
        final Instant due = send.receivedAt().minus(ackSlack);
        while (!other.isEmpty() && other.peek().plannedAt().isBefore(due)) {
            ackedNow(other.poll().sent());
        }
        forgetAcked(other);
    }

    /** Drops the acked sends from the head of a queue, failing the run on a failed one. */
    private static void forgetAcked(final ArrayDeque<Pending> queue) {
        while (!queue.isEmpty() && queue.peek().sent().isDone()) {
            acked(queue.poll().sent());
        }
    }

    private void awaitPredecessors(final Action.Send send) throws InterruptedException {
        await(consumed, predecessor(send));
        if (send.after() != null) {
            await(consumed, byId.get(send.after()));
        }
    }

    /** The user's last record on the other input topic, which this one must not overtake. */
    private Future<RecordMetadata> predecessor(final Action.Send send) {
        if (send.topic().equals(layout.purchases())) {
            return lastRedemption.get(send.key());
        }
        return send.topic().equals(layout.redemptions()) ? lastPurchase.get(send.key()) : null;
    }

    private int partitionOf(final Action.Send send) {
        return send.partition() != null ? send.partition() : layout.partitionOf(send.key());
    }

    private String otherInput(final String input) {
        return input.equals(layout.purchases()) ? layout.redemptions() : layout.purchases();
    }

    private boolean isConsumed(final Future<RecordMetadata> sent) {
        if (sent == null) {
            return true;
        }
        if (!sent.isDone()) {
            return false;
        }
        final RecordMetadata acked = acked(sent);
        return acked == null || consumed.consumed(acked.topic(), acked.partition(), acked.offset());
    }

    private Future<RecordMetadata> dispatch(final Action.Send send) {
        awaitWallClock(send.receivedAt());
        awaitOtherInputsAcks(send);
        final Future<RecordMetadata> sent =
                events.send(send.topic(), send.key(), send.partition(), send.receivedAt(), send.value());
        final ArrayDeque<Pending>[] sameTopic = unacked.get(send.topic());
        if (sameTopic != null) {
            final ArrayDeque<Pending> queue = sameTopic[partitionOf(send)];
            forgetAcked(queue);
            queue.add(new Pending(send.receivedAt(), sent));
        }
        if (send.id() != null) {
            byId.put(send.id(), sent);
        }
        if (send.topic().equals(layout.purchases())) {
            lastPurchase.put(send.key(), sent);
            lastRedemption.remove(send.key());
        } else if (send.topic().equals(layout.redemptions())) {
            lastRedemption.put(send.key(), sent);
            lastPurchase.remove(send.key());
        }
        return sent;
    }

    private void await(final OrderingBarrier barrier, final Future<RecordMetadata> sent) throws InterruptedException {
        if (sent == null) {
            return;
        }
        final RecordMetadata acked = ackedNow(sent);
        if (acked != null) {
            barrier.awaitConsumed(acked.topic(), acked.partition(), acked.offset());
        }
    }

    /**
     * The send's acknowledgement, waiting for it if need be: the producer is flushed first, so a record the run waits
     * for goes out at once instead of after the producer's linger.
     */
    private RecordMetadata ackedNow(final Future<RecordMetadata> sent) {
        if (sent.isDone()) {
            return acked(sent);
        }
        final long startedAt = System.nanoTime();
        events.flush();
        final RecordMetadata acked = acked(sent);
        ackWaits++;
        ackWaitedNanos += System.nanoTime() - startedAt;
        return acked;
    }

    private static RecordMetadata acked(final Future<RecordMetadata> sent) {
        try {
            return sent.get();
        } catch (final ExecutionException e) {
            throw new IllegalStateException(
                    "a send failed, the run stops here: " + e.getCause().getMessage(), e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a send", e);
        }
    }

    /**
     * A record is stamped with the simulated time it was planned at, its receiving clock in the truth; edge-streams
     * never lets a timestamp run ahead of its own clock, so a record is not sent before the wall clock reaches it
     * (a run only gets ahead of the wall clock when earlier runs reach past now, and then at most load.max-ahead).
     */
    private static void awaitWallClock(final Instant timestamp) {
        final long ahead = timestamp == null ? 0 : timestamp.toEpochMilli() - System.currentTimeMillis();
        if (ahead > 0) {
            try {
                Thread.sleep(ahead);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the wall clock", e);
            }
        }
    }
}
