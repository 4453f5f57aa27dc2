package io.loyaltylakehouse.edge.accrual;

import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import java.math.RoundingMode;
import java.time.Instant;

/** CONTRACT 4.1, accrual: a purchase earns {@code floor(amount) * multiplier}, the multiplier being the best promotion's. */
public final class PointsAccrual {
    private PointsAccrual() {}

    /** The highest multiplier of the promotions active for this store at this instant, else 1. */
    public static int bestMultiplier(
            final Iterable<Promotion> promotions, final String storeId, final Instant eventTime) {
        int best = 1;
        for (final Promotion promotion : promotions) {
            if (promotion.appliesTo(storeId, eventTime)) {
                best = Math.max(best, promotion.multiplier());
            }
        }
        return best;
    }

    /** {@code floor(amount) * multiplier}; validation bounds both, so this cannot overflow. */
    public static long points(final PurchaseEvent purchase, final int multiplier) {
        return Math.multiplyExact(
                purchase.amount().setScale(0, RoundingMode.FLOOR).longValueExact(), (long) multiplier);
    }
}
