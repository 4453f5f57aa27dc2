package io.loyaltylakehouse.edge.serde;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.json.Json;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** A Kafka serde for a contract message through the project's one JSON mapping ({@link Json}). Null stays null. */
public final class JsonSerde<T> implements Serde<T> {
    private final Class<T> type;

    private JsonSerde(final Class<T> type) {
        this.type = requireNonNull(type, "type is null");
    }

    public static <T> JsonSerde<T> of(final Class<T> type) {
        return new JsonSerde<>(type);
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : Json.toBytes(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return Json.fromBytes(bytes, type);
            } catch (final RuntimeException e) {
                throw new SerializationException("topic " + topic + ": " + e.getMessage(), e);
            }
        };
    }
}
