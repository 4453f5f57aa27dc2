package io.loyaltylakehouse.common.model;

import java.math.BigDecimal;
import java.time.Instant;

/** A {@code purchase_events} message, once validated. */
public record PurchaseEvent(
        String transactionId, String userId, BigDecimal amount, String currency, String storeId, Instant eventTime) {}
