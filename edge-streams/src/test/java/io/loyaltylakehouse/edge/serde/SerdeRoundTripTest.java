package io.loyaltylakehouse.edge.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.edge.model.Account;
import io.loyaltylakehouse.edge.model.AccountEvent;
import io.loyaltylakehouse.edge.model.InputRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SerdeRoundTripTest {
    private static final Instant AT = Instant.parse("2026-11-25T12:00:00.123456789Z");

    @Test
    void accountRoundTripsWithPauseAndWindows() {
        // Given
        final Account account = new Account(1150, AT, new TreeMap<>(Map.of(1L, 600L, 300_001L, 550L)));
        // When / Then
        assertThat(roundTrip(new AccountSerde(), account)).isEqualTo(account);
    }

    @Test
    void accountRoundTripsWithoutPause() {
        assertThat(roundTrip(new AccountSerde(), Account.NEW)).isEqualTo(Account.NEW);
    }

    @Test
    void promotionRoundTripsWithAndWithoutStore() {
        final Promotion everyStore = new Promotion("p-1", 2, null, AT, AT.plusSeconds(3600));
        final Promotion oneStore = new Promotion("p-2", 5, "s-1", AT, AT.plusNanos(1));
        assertThat(roundTrip(new PromotionSerde(), everyStore)).isEqualTo(everyStore);
        assertThat(roundTrip(new PromotionSerde(), oneStore)).isEqualTo(oneStore);
    }

    @Test
    void promotionWithIdsBeyond64KbRoundTrips() {
        final String longId = "p".repeat(70_000) + "é";
        final Promotion promotion = new Promotion(longId, 2, longId, AT, AT.plusSeconds(1));
        assertThat(roundTrip(new PromotionSerde(), promotion)).isEqualTo(promotion);
    }

    @Test
    void accountEventRoundTripsKeepingTheAmountsScaleAndTheInputRecord() {
        final AccountEvent purchase = AccountEvent.purchase(
                new PurchaseEvent("t-1", "u-1", new BigDecimal("25.90"), "USD", "s-1", AT),
                AT.plusSeconds(5),
                new InputRecord("purchase_events", 3, 42, "{\"raw\":\"é\"}".getBytes(StandardCharsets.UTF_8)));
        final AccountEvent redemption = AccountEvent.redemption(new RedemptionEvent("r-1", "u-1", 500, AT), AT, null);
        assertThat(roundTrip(new AccountEventSerde(), purchase)).isEqualTo(purchase);
        assertThat(roundTrip(new AccountEventSerde(), purchase.withoutSource())).isEqualTo(purchase.withoutSource());
        assertThat(roundTrip(new AccountEventSerde(), redemption)).isEqualTo(redemption);
    }

    @Test
    void nullStaysNull() {
        assertThat(new AccountSerde().serializer().serialize("t", null)).isNull();
        assertThat(new AccountSerde().deserializer().deserialize("t", null)).isNull();
        assertThat(new PromotionSerde().serializer().serialize("t", null)).isNull();
        assertThat(new AccountEventSerde().serializer().serialize("t", null)).isNull();
    }

    @Test
    void unknownFormatVersionIsRefusedWithItsNumber() {
        assertThatThrownBy(() -> new AccountSerde().deserializer().deserialize("t", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class)
                .hasMessage("unknown format version 9 (expected 1)");
    }

    private static <T> T roundTrip(final Serde<T> serde, final T value) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }
}
