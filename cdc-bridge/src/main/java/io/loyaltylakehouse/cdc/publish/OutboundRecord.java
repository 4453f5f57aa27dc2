package io.loyaltylakehouse.cdc.publish;

import io.loyaltylakehouse.common.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One record for Kafka: topic, key (decides the partition, so per-key order) and the JSON value as text (kept as
 * text so a record too large for Kafka can still become a readable dead letter).
 */
public record OutboundRecord(String topic, String key, String value) {
    public OutboundRecord {
        Objects.requireNonNull(topic, "topic is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(value, "value is null");
    }

    /** A message for {@code topic}, written with that topic's value serde. */
    public static <V> OutboundRecord of(final Topic<String, V> topic, final String key, final V value) {
        return new OutboundRecord(topic.name(), key, new String(topic.valueBytes(value), StandardCharsets.UTF_8));
    }
}
