package io.loyaltylakehouse.cdc.publish;

import java.util.Objects;

/** One record for Kafka: topic, key (decides the partition, so per-key order) and a JSON value. */
public record OutboundRecord(String topic, String key, String value) {
    public OutboundRecord {
        Objects.requireNonNull(topic, "topic is null");
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(value, "value is null");
    }
}
