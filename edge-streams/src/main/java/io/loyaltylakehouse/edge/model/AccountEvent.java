package io.loyaltylakehouse.edge.model;

import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import java.time.Instant;

/**
 * A validated purchase or redemption on its way to the user's account (the internal topic keyed by user_id,
 * so both kinds of one user reach the same task in order). Exactly one of {@code purchase} and
 * {@code redemption} is set. {@code partitionStreamTime} is, for a purchase, the highest event_time seen so far
 * on its input partition number (CONTRACT 4.4 measures lateness against it).
 */
public record AccountEvent(PurchaseEvent purchase, RedemptionEvent redemption, Instant partitionStreamTime) {

    public static AccountEvent purchase(final PurchaseEvent purchase, final Instant partitionStreamTime) {
        return new AccountEvent(purchase, null, partitionStreamTime);
    }

    public static AccountEvent redemption(final RedemptionEvent redemption) {
        return new AccountEvent(null, redemption, null);
    }

    public String userId() {
        return purchase != null ? purchase.userId() : redemption.userId();
    }
}
