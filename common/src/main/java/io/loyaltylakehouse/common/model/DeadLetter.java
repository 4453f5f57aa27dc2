package io.loyaltylakehouse.common.model;

import java.time.Instant;

/** A {@code <topic>.dlq} message: the raw record as text, why it was refused, and where it came from. */
public record DeadLetter(
        String raw,
        String error,
        String sourceTopic,
        int partition,
        long offset,
        Instant failedAt) {
}
