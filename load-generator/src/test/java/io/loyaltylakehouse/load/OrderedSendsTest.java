package io.loyaltylakehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.load.oracle.TopicLayout;
import io.loyaltylakehouse.load.traffic.Action;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

// a run that blocks on an ack the test never gives would otherwise hang instead of failing
@Timeout(10)
class OrderedSendsTest {
    private static final String PURCHASES = "purchase_events";
    private static final String REDEMPTIONS = "redemption_events";
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final Duration MAX_HOLD = Duration.ofMinutes(5);
    private static final Duration ACK_SLACK = Duration.ofMinutes(1);
    private static final TopicLayout LAYOUT = new TopicLayout(PURCHASES, REDEMPTIONS, "promotions", 4);

    private final RecordingSink sink = new RecordingSink();
    private final ControlledBarrier pipeline = new ControlledBarrier();
    private final ControlledBarrier promotionsStore = new ControlledBarrier();
    private final OrderedSends sends = new OrderedSends(sink, LAYOUT, pipeline, promotionsStore, MAX_HOLD, ACK_SLACK);

    @Test
    void aUserWaitingForItsPurchaseDoesNotHoldBackOtherUsers() throws InterruptedException {
        sends.submit(purchase("t1", "alice", 0));
        sends.submit(redemption("r1", "alice", 1));
        sends.submit(purchase("t2", "bob", 2));

        assertThat(sink.ids()).containsExactly("t1", "t2");

        pipeline.consumeThrough(0);
        sends.submit(purchase("t3", "carol", 3));

        assertThat(sink.ids()).containsExactly("t1", "t2", "r1", "t3");
        assertThat(sends.held()).isEqualTo(1);
        assertThat(sends.blocked()).isZero();
    }

    @Test
    void aUsersLaterRecordsStayBehindItsHeldOne() throws InterruptedException {
        sends.submit(purchase("t1", "alice", 0));
        sends.submit(redemption("r1", "alice", 1));
        sends.submit(redemption("r2", "alice", 2));
        sends.submit(purchase("t2", "alice", 3));

        assertThat(sink.ids()).containsExactly("t1");

        sends.drain();

        assertThat(sink.ids()).containsExactly("t1", "r1", "r2", "t2");
        assertThat(pipeline.awaited).containsExactly("purchase_events@0", "redemption_events@2");
    }

    @Test
    void aRecordHeldLongerThanTheBoundMakesTheRunWaitForIt() throws InterruptedException {
        sends.submit(purchase("t1", "alice", 0));
        sends.submit(redemption("r1", "alice", 1));
        sends.submit(purchase("t2", "bob", 4));

        assertThat(sink.ids()).containsExactly("t1", "t2");
        assertThat(sends.blocked()).isZero();

        sends.submit(purchase("t3", "bob", 7));

        assertThat(sink.ids()).containsExactly("t1", "t2", "t3", "r1");
        assertThat(sends.blocked()).isEqualTo(1);
        assertThat(pipeline.awaited).containsExactly("purchase_events@0");
    }

    @Test
    void aPromotionGoesOutAfterEverythingHeldAndTheRunWaitsUntilItIsApplied() throws InterruptedException {
        sends.submit(purchase("t1", "alice", 0));
        sends.submit(redemption("r1", "alice", 1));
        sends.submit(new Action.Send(
                "promotions",
                "p1",
                null,
                "{}".getBytes(StandardCharsets.UTF_8),
                Action.Kind.PROMOTION,
                null,
                null,
                null));

        assertThat(sink.keys()).containsExactly("alice", "alice", "p1");
        assertThat(promotionsStore.awaited).containsExactly("promotions@2");
        assertThat(sink.flushes).isEqualTo(1);
    }

    @Test
    void aRecordReusingAnotherUsersIdWaitsUntilThatOneWasConsumed() throws InterruptedException {
        sends.submit(purchase("t1", "alice", 0));
        sends.submit(redemption("r1", "alice", 1));
        sends.submit(reusing("r1", "bob", 2));

        assertThat(sink.ids()).containsExactly("t1");

        pipeline.consumeThrough(0);
        sends.submit(purchase("t2", "carol", 3));

        assertThat(sink.ids()).containsExactly("t1", "r1", "t2");

        pipeline.consumeThrough(1);
        sends.submit(purchase("t3", "carol", 3));

        assertThat(sink.ids()).containsExactly("t1", "r1", "t2", "reuse-r1", "t3");
    }

    @Test
    void aRecordWaitsUntilTheOtherInputsRecordsPlannedBeyondTheSlackOnItsPartitionNumberWereAcked() throws Exception {
        sink.ackLater = true;
        sends.submit(purchase("t1", "alice", 0));
        final String bob = otherUserOnPartitionOf("alice");
        final Thread sender = new Thread(() -> {
            try {
                sends.submit(redemption("r1", bob, 2));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sender.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> sender.getState() == Thread.State.WAITING);
        assertThat(sink.ids()).containsExactly("t1");
        // the record waited for was flushed out, not left for the producer's linger
        assertThat(sink.flushes).isEqualTo(1);

        sink.ackAll();
        sender.join(Duration.ofSeconds(10).toMillis());

        assertThat(sink.ids()).containsExactly("t1", "r1");
        assertThat(sends.ackWaits()).isEqualTo(1);
    }

    @Test
    void aRecordWithinTheSlackOfTheOtherInputsUnackedOneGoesAtOnce() throws InterruptedException {
        sink.ackLater = true;
        sends.submit(purchase("t1", "alice", 0));
        sends.submit(redemption("r1", otherUserOnPartitionOf("alice"), 1));

        assertThat(sink.ids()).containsExactly("t1", "r1");
        assertThat(sends.ackWaits()).isZero();
        assertThat(sink.flushes).isZero();
    }

    @Test
    void aSlackBeyondTheLongestHoldIsRefused() {
        assertThatThrownBy(() ->
                        new OrderedSends(sink, LAYOUT, pipeline, promotionsStore, MAX_HOLD, MAX_HOLD.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not exceed the longest hold");
    }

    private static String otherUserOnPartitionOf(final String user) {
        for (int i = 0; ; i++) {
            final String other = "user-" + i;
            if (LAYOUT.partitionOf(other) == LAYOUT.partitionOf(user)) {
                return other;
            }
        }
    }

    private static Action.Send purchase(final String id, final String user, final int minute) {
        return send(PURCHASES, id, user, minute, Action.Kind.PURCHASE, null);
    }

    private static Action.Send redemption(final String id, final String user, final int minute) {
        return send(REDEMPTIONS, id, user, minute, Action.Kind.REDEMPTION, null);
    }

    private static Action.Send reusing(final String id, final String user, final int minute) {
        return send(REDEMPTIONS, "reuse-" + id, user, minute, Action.Kind.REDEMPTION, id);
    }

    private static Action.Send send(
            final String topic,
            final String id,
            final String user,
            final int minute,
            final Action.Kind kind,
            final String after) {
        final Instant at = T0.plus(Duration.ofMinutes(minute));
        return new Action.Send(
                topic, user, null, id.getBytes(StandardCharsets.UTF_8), kind, at, after == null ? id : null, after);
    }

    /** Acknowledges every record at once (or on ackAll), at the next offset of one partition per topic. */
    private static final class RecordingSink implements EventSink {
        final List<String> sent = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        /** When set, a send is acked only by {@link #ackAll}. */
        volatile boolean ackLater;

        private final List<Runnable> unacked = new ArrayList<>();
        volatile int flushes;
        private long offset;

        @Override
        public Future<RecordMetadata> send(
                final String topic,
                final String key,
                final Integer partition,
                final Instant timestamp,
                final byte[] value) {
            sent.add(new String(value, StandardCharsets.UTF_8));
            keys.add(key);
            final RecordMetadata metadata = new RecordMetadata(new TopicPartition(topic, 0), offset++, 0, 0L, 0, 0);
            if (!ackLater) {
                return CompletableFuture.completedFuture(metadata);
            }
            final CompletableFuture<RecordMetadata> pending = new CompletableFuture<>();
            synchronized (unacked) {
                unacked.add(() -> pending.complete(metadata));
            }
            return pending;
        }

        /** Acks what was sent so far; a record sent by a thread these acks release stays unacked. */
        void ackAll() {
            final List<Runnable> sentSoFar;
            synchronized (unacked) {
                sentSoFar = List.copyOf(unacked);
                unacked.clear();
            }
            sentSoFar.forEach(Runnable::run);
        }

        List<String> ids() {
            return sent;
        }

        List<String> keys() {
            return keys;
        }

        @Override
        public void flush() {
            flushes++;
        }

        @Override
        public void close() {}
    }

    /** A pipeline that consumes records up to an offset when the test says so, or one when the run blocks on it. */
    private static final class ControlledBarrier implements OrderingBarrier {
        final List<String> awaited = new ArrayList<>();
        private final Set<String> done = new HashSet<>();
        private long through = -1;

        void consumeThrough(final long offset) {
            through = offset;
        }

        @Override
        public void awaitConsumed(final String topic, final int partition, final long offset) {
            if (!consumed(topic, partition, offset)) {
                awaited.add(topic + "@" + offset);
                done.add(topic + "@" + offset);
            }
        }

        @Override
        public boolean consumed(final String topic, final int partition, final long offset) {
            return offset <= through || done.contains(topic + "@" + offset);
        }

        @Override
        public boolean held() {
            return true;
        }

        @Override
        public void close() {}
    }
}
