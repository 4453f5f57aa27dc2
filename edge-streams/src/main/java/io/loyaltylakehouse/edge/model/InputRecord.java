package io.loyaltylakehouse.edge.model;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.DeadLetter;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where an accepted input record came from and its raw bytes, carried past the re-keying steps so a later step
 * (the global id check) can still dead-letter it exactly. {@code raw} is at most
 * {@link io.loyaltylakehouse.edge.validation.InputValidator#MAX_RECORD_BYTES}: validation refuses larger records.
 */
public record InputRecord(String topic, int partition, long offset, byte[] raw) {

    public InputRecord {
        requireNonNull(topic, "topic is null");
        requireNonNull(raw, "raw is null");
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof InputRecord that
                && topic.equals(that.topic)
                && partition == that.partition
                && offset == that.offset
                && Arrays.equals(raw, that.raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, Arrays.hashCode(raw));
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " (" + raw.length + " bytes)";
    }

    public DeadLetter deadLetter(final String reason, final Instant now) {
        return DeadLetter.of(raw, reason, topic, partition, offset, now);
    }
}
