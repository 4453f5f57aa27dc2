package io.loyaltylakehouse.common.topic;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.config.Settings;
import org.apache.kafka.common.serialization.Serde;

/**
 * A Kafka topic with the serdes of its key and value. Every producer, stream and consumer of a topic takes name and
 * serdes from one of these ({@link io.loyaltylakehouse.common.model.Topics}), so what is written and what is read
 * cannot drift apart. Immutable; a component whose topic names are configurable keeps the serdes and changes the
 * name with {@link #named}.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        requireNonNull(name, "name is null");
        requireNonNull(keySerde, "keySerde is null");
        requireNonNull(valueSerde, "valueSerde is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a topic name must not be blank");
        }
    }

    /** The same messages under another name (a configured one, or a test's own). */
    public Topic<K, V> named(final String otherName) {
        return new Topic<>(otherName, keySerde, valueSerde);
    }

    /** This topic under the name the setting {@code key} gives it, or under its own name when the setting is unset. */
    public Topic<K, V> configured(final Settings settings, final String key) {
        return named(settings.get(key, name));
    }

    /** The key as written to this topic ({@code null} stays {@code null}). */
    public byte[] keyBytes(final K key) {
        return keySerde.serializer().serialize(name, key);
    }

    /** The value as written to this topic; {@code null} is a tombstone. */
    public byte[] valueBytes(final V value) {
        return valueSerde.serializer().serialize(name, value);
    }

    /** A key read from this topic. */
    public K key(final byte[] bytes) {
        return keySerde.deserializer().deserialize(name, bytes);
    }

    /** A value read from this topic; throws with the reason when the bytes are not this topic's message. */
    public V value(final byte[] bytes) {
        return valueSerde.deserializer().deserialize(name, bytes);
    }
}
