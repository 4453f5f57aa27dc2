package io.loyaltylakehouse.common.model;

import java.time.Instant;

/** A {@code redemption_events} message, once validated. */
public record RedemptionEvent(String redemptionId, String userId, long points, Instant eventTime) {}
