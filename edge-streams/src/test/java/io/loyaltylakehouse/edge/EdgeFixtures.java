package io.loyaltylakehouse.edge;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/** Fixed instants and raw input messages for edge-streams tests. */
public final class EdgeFixtures {
    /** A window start: 12:00:00 is aligned to the 5-minute epoch windows. */
    public static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    private EdgeFixtures() {}

    public static EdgeStreamsConfig config(final Path stateDir) {
        return EdgeStreamsConfig.from(Settings.load(EdgeStreamsConfig.COMPONENT)
                .with(Map.of("edge.state.dir", stateDir.toString(), "edge.application.id", "edge-test")));
    }

    public static String purchase(
            final String transactionId,
            final String userId,
            final String amount,
            final String storeId,
            final Instant eventTime) {
        return "{\"transaction_id\":\"" + transactionId + "\",\"user_id\":\"" + userId + "\",\"amount\":\"" + amount
                + "\",\"currency\":\"USD\",\"store_id\":\"" + storeId + "\",\"event_time\":\"" + eventTime + "\"}";
    }

    public static String redemption(
            final String redemptionId, final String userId, final long points, final Instant eventTime) {
        return "{\"redemption_id\":\"" + redemptionId + "\",\"user_id\":\"" + userId + "\",\"points\":" + points
                + ",\"event_time\":\"" + eventTime + "\"}";
    }

    /** {@code storeId} null = every store. */
    public static String promotion(
            final String promoId,
            final int multiplier,
            final String storeId,
            final Instant startsAt,
            final Instant endsAt) {
        return "{\"promo_id\":\"" + promoId + "\",\"multiplier\":" + multiplier + ",\"store_id\":"
                + (storeId == null ? "null" : "\"" + storeId + "\"") + ",\"starts_at\":\"" + startsAt
                + "\",\"ends_at\":\"" + endsAt + "\"}";
    }
}
