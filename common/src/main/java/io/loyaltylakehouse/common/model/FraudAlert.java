package io.loyaltylakehouse.common.model;

import java.time.Instant;

/** A {@code fraud_alerts} message: the window whose awarded points crossed the limit, and the pause it caused. */
public record FraudAlert(
        String userId,
        Instant windowStart,
        Instant windowEnd,
        long pointsInWindow,
        String transactionId,
        Instant pausedUntil) {}
