package io.loyaltylakehouse.reconciler.records;

/**
 * A Kafka record as the sources hand it on: untouched bytes plus where it came from, so that parsing
 * happens in an operator that can dead-letter bad input instead of failing the source.
 */
public record KafkaRecord(String topic, int partition, long offset, byte[] key, byte[] value, long timestamp) {

    /** A readable form of the value for dead letters ({@code null} for a tombstone). */
    public String valueText() {
        return value == null ? null : new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    public String keyText() {
        return key == null ? null : new String(key, java.nio.charset.StandardCharsets.UTF_8);
    }
}
