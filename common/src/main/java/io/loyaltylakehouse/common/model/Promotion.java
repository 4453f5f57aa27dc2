package io.loyaltylakehouse.common.model;

import java.time.Instant;

/** A {@code promotions} message (key = promo_id). {@code storeId} null means every store. */
public record Promotion(String promoId, int multiplier, String storeId, Instant startsAt, Instant endsAt) {

    /** Active for a purchase at {@code eventTime} in {@code store}: {@code starts_at <= event_time < ends_at}. */
    public boolean appliesTo(final String store, final Instant eventTime) {
        return (storeId == null || storeId.equals(store))
                && !eventTime.isBefore(startsAt)
                && eventTime.isBefore(endsAt);
    }
}
