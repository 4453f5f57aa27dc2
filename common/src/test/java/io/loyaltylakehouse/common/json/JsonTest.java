package io.loyaltylakehouse.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.LedgerEntry;
import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void contractFieldsAreSnakeCaseWithIsoInstantsAndExplicitNulls() {
        final String json = Json.toJson(new BalanceUpdate("u-1", 120, null));

        assertThat(json).isEqualTo("{\"user_id\":\"u-1\",\"balance\":120,\"paused_until\":null}");
    }

    @Test
    void ledgerEntryRoundTrips() {
        final LedgerEntry entry = new LedgerEntry(
                "t-1",
                "u-1",
                50,
                0,
                LedgerEntry.LedgerStatus.AWARDED,
                LedgerEntry.EntryType.EARN,
                "t-1",
                null,
                "s-1",
                new BigDecimal("25.90"),
                2,
                Instant.parse("2026-11-25T12:00:00Z"),
                Instant.parse("2026-11-25T12:00:01.5Z"));

        final String json = Json.toJson(entry);

        assertThat(json)
                .contains("\"business_key\":\"t-1\"", "\"event_time\":\"2026-11-25T12:00:00Z\"", "\"amount\":25.90");
        assertThat(Json.fromJson(json, LedgerEntry.class)).isEqualTo(entry);
    }

    @Test
    void invalidJsonFailsWithTheTypeName() {
        assertThatThrownBy(() -> Json.fromJson("{not json", BalanceUpdate.class))
                .hasMessageStartingWith("not a valid BalanceUpdate");
    }
}
