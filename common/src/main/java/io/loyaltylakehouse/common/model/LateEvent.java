package io.loyaltylakehouse.common.model;

import java.math.BigDecimal;
import java.time.Instant;

/** A {@code late_events} message: a purchase behind its partition's stream time by more than the allowed lateness. */
public record LateEvent(
        String transactionId,
        String userId,
        String storeId,
        BigDecimal amount,
        long points,
        Instant eventTime,
        long latenessMs,
        Instant seenAt) {}
