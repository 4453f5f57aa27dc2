package io.loyaltylakehouse.edge.errors;

import io.loyaltylakehouse.common.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Builds {@code <topic>.dlq} messages. */
public final class DeadLetters {
    /** Longer raw values are cut so the dead letter itself always fits in a Kafka message. */
    static final int MAX_RAW_CHARS = 100_000;

    private DeadLetters() {
    }

    public static DeadLetter of(final byte[] raw, final String error, final String sourceTopic, final int partition,
            final long offset, final Instant failedAt) {
        return new DeadLetter(rawText(raw), error, sourceTopic, partition, offset, failedAt);
    }

    /** The raw bytes as text (UTF-8, invalid bytes replaced); null for a record without a value. */
    static String rawText(final byte[] raw) {
        if (raw == null) {
            return null;
        }
        final String text = new String(raw, StandardCharsets.UTF_8);
        return text.length() <= MAX_RAW_CHARS
                ? text
                : text.substring(0, MAX_RAW_CHARS) + "...[truncated, " + raw.length + " bytes in all]";
    }
}
