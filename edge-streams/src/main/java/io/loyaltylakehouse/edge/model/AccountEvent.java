package io.loyaltylakehouse.edge.model;

import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import java.time.Instant;

/**
 * A validated purchase or redemption on its way through the id check to the user's account. Exactly one of
 * {@code purchase} and {@code redemption} is set. {@code partitionStreamTime} is the stream time of the input
 * partition the record was read from, this record included (CONTRACT 4.4 measures lateness against it).
 * {@code source} is the input record, kept for as long as a step may still dead-letter the event (null after).
 */
public record AccountEvent(
        PurchaseEvent purchase, RedemptionEvent redemption, Instant partitionStreamTime, InputRecord source) {

    public static AccountEvent purchase(
            final PurchaseEvent purchase, final Instant partitionStreamTime, final InputRecord source) {
        return new AccountEvent(purchase, null, partitionStreamTime, source);
    }

    public static AccountEvent redemption(
            final RedemptionEvent redemption, final Instant partitionStreamTime, final InputRecord source) {
        return new AccountEvent(null, redemption, partitionStreamTime, source);
    }

    public String userId() {
        return purchase != null ? purchase.userId() : redemption.userId();
    }

    /** The same event without its input record: what the user's account needs of a purchase. */
    public AccountEvent withoutSource() {
        return new AccountEvent(purchase, redemption, partitionStreamTime, null);
    }
}
