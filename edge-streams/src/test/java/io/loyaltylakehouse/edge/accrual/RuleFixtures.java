package io.loyaltylakehouse.edge.accrual;

import io.loyaltylakehouse.common.model.PurchaseEvent;
import java.math.BigDecimal;
import java.time.Instant;

/** Typed events for the rule tests (the topology tests feed raw JSON). */
final class RuleFixtures {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final Instant NOW = Instant.parse("2026-11-25T14:00:00Z");

    private RuleFixtures() {}

    static PurchaseEvent purchase(final String transactionId, final String amount, final Instant eventTime) {
        return new PurchaseEvent(transactionId, "u-1", new BigDecimal(amount), "USD", "s-1", eventTime);
    }
}
