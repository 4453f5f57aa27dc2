package io.loyaltylakehouse.load.kafka;

import io.loyaltylakehouse.load.OrderingBarrier;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows what the pipeline has consumed from the committed offsets of its consumer group (edge-streams'
 * application id): a record at offset {@code o} is done once the committed offset is past {@code o}. Under
 * exactly-once the commit also publishes what the record produced downstream, in order.
 */
public final class ConsumerGroupBarrier implements OrderingBarrier {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupBarrier.class);
    private static final long REFRESH_NANOS = Duration.ofMillis(20).toNanos();

    private final Admin admin;
    private final String group;
    private final Duration timeout;
    private Map<TopicPartition, Long> committed = Map.of();
    private long refreshedAt;
    private boolean held = true;
    private long waits;
    private long waitedNanos;

    private ConsumerGroupBarrier(final Admin admin, final String group, final Duration timeout) {
        this.admin = admin;
        this.group = group;
        this.timeout = timeout;
    }

    /**
     * A barrier on {@code group}, or none if the group neither has members nor has committed anything on
     * {@code topic}: nothing is consuming, and waiting for it would only stall the run.
     */
    public static OrderingBarrier ifConsuming(
            final Map<String, Object> kafka, final String group, final String topic, final Duration timeout) {
        final Admin admin = Admin.create(kafka);
        final ConsumerGroupBarrier barrier = new ConsumerGroupBarrier(admin, group, timeout);
        barrier.refresh();
        if (!hasMembers(admin, group)
                && barrier.committed.keySet().stream()
                        .noneMatch(partition -> partition.topic().equals(topic))) {
            LOG.warn(
                    "consumer group {} is not consuming {}: not waiting for it between a user's purchases and"
                            + " redemptions (if it later reads this run with a backlog, redemption outcomes may differ"
                            + " from the truth)",
                    group,
                    topic);
            admin.close();
            return OrderingBarrier.NONE;
        }
        LOG.info(
                "a user's purchase and redemption are sent only after consumer group {} consumed the one before",
                group);
        return barrier;
    }

    private static boolean hasMembers(final Admin admin, final String group) {
        try {
            return !admin.describeConsumerGroups(List.of(group))
                    .describedGroups()
                    .get(group)
                    .get(10, TimeUnit.SECONDS)
                    .members()
                    .isEmpty();
        } catch (final ExecutionException | TimeoutException e) {
            return false;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void awaitConsumed(final String topic, final int partition, final long offset) throws InterruptedException {
        if (!held) {
            return;
        }
        final long startedAt = System.nanoTime();
        final long deadline = startedAt + timeout.toNanos();
        if (!consumed(topic, partition, offset)) {
            waits++;
        }
        while (!consumed(topic, partition, offset)) {
            if (System.nanoTime() > deadline) {
                held = false;
                LOG.warn(
                        "consumer group {} did not consume {} offset {} within {}: no longer waiting for it,"
                                + " redemption outcomes may differ from the truth",
                        group,
                        topic + "-" + partition,
                        offset,
                        timeout);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(2);
        }
        waitedNanos += System.nanoTime() - startedAt;
    }

    @Override
    public boolean consumed(final String topic, final int partition, final long offset) {
        if (!held) {
            return true;
        }
        if (System.nanoTime() - refreshedAt >= REFRESH_NANOS) {
            refresh();
        }
        return committed.getOrDefault(new TopicPartition(topic, partition), -1L) > offset;
    }

    @Override
    public boolean held() {
        return held;
    }

    private void refresh() {
        try {
            final Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(10, TimeUnit.SECONDS);
            final Map<TopicPartition, Long> next = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    next.put(partition, offset.offset());
                }
            });
            committed = next;
        } catch (final ExecutionException | TimeoutException e) {
            LOG.warn("cannot read the offsets of consumer group {}: {}", group, e.getMessage());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        refreshedAt = System.nanoTime();
    }

    @Override
    public void close() {
        LOG.info(
                "waited {} times, {} s in all, for consumer group {} between a user's purchases and redemptions",
                waits,
                Math.round(waitedNanos / 1e8) / 10.0,
                group);
        admin.close();
    }
}
