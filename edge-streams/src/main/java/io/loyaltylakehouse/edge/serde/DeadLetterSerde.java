package io.loyaltylakehouse.edge.serde;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Dead letters, and any other output as contract JSON, with dead letters fitted to their topic's limit
 * ({@link DeadLetterLimits}). One that cannot fit fails to serialize, which
 * {@link io.loyaltylakehouse.edge.errors.DeadLetterExceptionHandler} logs, counts and skips: a serialization error
 * happens before the producer sees the record, so the transaction goes on.
 */
public final class DeadLetterSerde<T> implements Serde<T> {
    private final DeadLetterLimits limits;

    public DeadLetterSerde(final DeadLetterLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> {
            if (value instanceof DeadLetter deadLetter) {
                final byte[] fitted = limits.fit(deadLetter, topic);
                if (fitted == null) {
                    throw new SerializationException("dead letter does not fit " + topic + "'s limit of "
                            + limits.limit(topic) + " bytes even without its raw value");
                }
                return fitted;
            }
            return value == null ? null : Json.toBytes(value);
        };
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> {
            throw new UnsupportedOperationException("outputs are only written");
        };
    }
}
