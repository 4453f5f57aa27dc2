package io.loyaltylakehouse.load.oracle;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.utils.Utils;

/**
 * The input topics of one run and how keys spread over their partitions. Kafka's default partitioner puts a keyed
 * record on {@code toPositive(murmur2(key)) % partitions}; purchases and redemptions are co-partitioned, so one
 * partition number is one stream task with one stream time.
 */
public record TopicLayout(String purchases, String redemptions, String promotions, int partitions) {

    public TopicLayout {
        Objects.requireNonNull(purchases, "purchases is null");
        Objects.requireNonNull(redemptions, "redemptions is null");
        Objects.requireNonNull(promotions, "promotions is null");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
        }
    }

    public int partitionOf(final String key) {
        return partitionOf(key.getBytes(StandardCharsets.UTF_8));
    }

    public int partitionOf(final byte[] key) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }
}
