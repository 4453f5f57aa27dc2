package io.loyaltylakehouse.common.model;

import java.time.Instant;

/** A value of the compacted {@code loyalty_points_realtime} topic: the user's latest balance. */
public record BalanceUpdate(String userId, long balance, Instant pausedUntil) {}
