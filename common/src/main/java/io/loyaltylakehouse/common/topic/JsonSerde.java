package io.loyaltylakehouse.common.topic;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.json.Json;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A contract message as JSON through the project's one mapping ({@link Json}); {@code null} is a tombstone both ways.
 * Reading bytes that are not the message throws {@link java.io.UncheckedIOException} with the reason, which the
 * readers turn into a dead letter.
 */
public final class JsonSerde<T> implements Serde<T> {
    private final Class<T> type;
    // stateless, so one of each serves every caller (Topic.value/valueBytes ask for them per record)
    private final Serializer<T> serializer = (topic, value) -> value == null ? null : Json.toBytes(value);
    private final Deserializer<T> deserializer;

    public JsonSerde(final Class<T> type) {
        this.type = requireNonNull(type, "type is null");
        this.deserializer = (topic, bytes) -> bytes == null ? null : Json.fromBytes(bytes, type);
    }

    /** Two serdes of the same message are the same serde: topics compare by name and serdes. */
    @Override
    public boolean equals(final Object other) {
        return other instanceof JsonSerde<?> that && that.type.equals(type);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }
}
