package io.loyaltylakehouse.edge.serde;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.topic.JsonSerde;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Dead letters as contract JSON (the value of {@link io.loyaltylakehouse.common.model.Topics#deadLettersOf}), fitted
 * to their topic's limit ({@link DeadLetterLimits}). One that cannot fit fails to serialize, which
 * {@link io.loyaltylakehouse.edge.errors.DeadLetterExceptionHandler} logs, counts and skips: a serialization error
 * happens before the producer sees the record, so the transaction goes on.
 */
public final class DeadLetterSerde implements Serde<DeadLetter> {
    private final DeadLetterLimits limits;
    private final JsonSerde<DeadLetter> json = new JsonSerde<>(DeadLetter.class);

    public DeadLetterSerde(final DeadLetterLimits limits) {
        this.limits = requireNonNull(limits, "limits is null");
    }

    @Override
    public Serializer<DeadLetter> serializer() {
        return (topic, deadLetter) -> {
            if (deadLetter == null) {
                return null;
            }
            final byte[] fitted = limits.fit(deadLetter, topic);
            if (fitted == null) {
                throw new SerializationException("dead letter does not fit " + topic + "'s limit of "
                        + limits.limit(topic) + " bytes even without its raw value");
            }
            return fitted;
        };
    }

    @Override
    public Deserializer<DeadLetter> deserializer() {
        return json.deserializer();
    }
}
