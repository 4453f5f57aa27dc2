package io.loyaltylakehouse.edge.validation;

import static io.loyaltylakehouse.edge.EdgeFixtures.T0;
import static io.loyaltylakehouse.edge.EdgeFixtures.promotion;
import static io.loyaltylakehouse.edge.EdgeFixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputValidatorTest {
    private static final Instant NOW = T0.plus(Duration.ofHours(1));
    private final InputValidator validator = new InputValidator(Duration.ofDays(1));

    @ParameterizedTest(name = "amount {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"25.90\"      | 25.90",
                "25.90          | 25.90",
                "25             | 25",
                "1e2            | 1E+2",
                "\"1000000\"    | 1000000",
                "1000000.00     | 1000000.00",
                "\"0.01\"       | 0.01",
                "\"10.500\"     | 10.500",
                "\"1e2\"        | 1E+2"
            })
    void acceptsAmountsAsNumbersOrDecimalStrings(final String json, final String expected) {
        final Validated<PurchaseEvent> result = validator.purchase(withAmount(json), NOW);
        assertThat(result).isInstanceOf(Validated.Valid.class);
        assertThat(((Validated.Valid<PurchaseEvent>) result).value().amount()).isEqualTo(new BigDecimal(expected));
    }

    @ParameterizedTest(name = "amount {0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "0              | amount must be > 0, got 0",
                "\"-0.01\"      | amount must be > 0, got -0.01",
                "1000000.01     | amount must be <= 1000000, got 1000000.01",
                "\"1.001\"      | amount must have at most 2 decimals, got 1.001",
                "\"ten\"        | amount must be a number or a decimal string, got \"ten\"",
                "null           | amount is missing",
                "[1]            | amount must be a number or a decimal string, got [1]"
            })
    void refusesBadAmountsWithTheReason(final String json, final String reason) {
        assertThat(validator.purchase(withAmount(json), NOW)).isEqualTo(Validated.invalid(reason));
    }

    @Test
    void refusesEmptyIdsNonStringIdsAndTrailingGarbage() {
        final String valid = purchase("t-1", "u-1", "1", "s-1", T0);
        assertThat(validator.purchase(bytes(valid.replace("\"t-1\"", "\"\"")), NOW))
                .isEqualTo(Validated.invalid("transaction_id must not be empty"));
        assertThat(validator.purchase(bytes(valid.replace("\"s-1\"", "7")), NOW))
                .isEqualTo(Validated.invalid("store_id must be a string, got 7"));
        assertThat(validator.purchase(bytes(valid + "{}"), NOW)).isInstanceOf(Validated.Invalid.class);
        assertThat(validator.purchase(bytes(valid.replace("\"t-1\"", "\"" + "t".repeat(257) + "\"")), NOW))
                .isEqualTo(Validated.invalid("transaction_id must be at most 256 characters, got 257"));
    }

    @Test
    void refusesEventTimesBeforeEpochOrTooFarAhead() {
        final String valid = purchase("t-1", "u-1", "1", "s-1", T0);
        assertThat(validator.purchase(bytes(valid.replace(T0.toString(), "1969-12-31T23:59:59Z")), NOW))
                .isEqualTo(Validated.invalid("event_time must not be before 1970, got 1969-12-31T23:59:59Z"));
        assertThat(validator.purchase(bytes(valid.replace(T0.toString(), "2026-11-27T13:00:01Z")), NOW))
                .isEqualTo(Validated.invalid("event_time 2026-11-27T13:00:01Z is more than PT24H in the future"));
        assertThat(new InputValidator(Duration.ZERO)
                        .purchase(bytes(valid.replace(T0.toString(), "2099-01-01T00:00:00Z")), NOW))
                .isInstanceOf(Validated.Valid.class);
    }

    @Test
    void redemptionNeedsPositiveWholePoints() {
        assertThat(validator.redemption(
                        bytes("{\"redemption_id\":\"r-1\",\"user_id\":\"u-1\",\"points\":500," + "\"event_time\":\""
                                + T0 + "\"}"),
                        NOW))
                .isEqualTo(Validated.valid(new RedemptionEvent("r-1", "u-1", 500, T0)));
        assertThat(validator.redemption(
                        bytes("{\"redemption_id\":\"r-1\",\"user_id\":\"u-1\",\"points\":0," + "\"event_time\":\"" + T0
                                + "\"}"),
                        NOW))
                .isEqualTo(Validated.invalid("points must be > 0, got 0"));
        assertThat(validator.redemption(
                        bytes("{\"redemption_id\":\"r-1\",\"user_id\":\"u-1\",\"points\":\"5\"," + "\"event_time\":\""
                                + T0 + "\"}"),
                        NOW))
                .isEqualTo(Validated.invalid("points must be a whole number, got \"5\""));
    }

    @Test
    void promotionRules() {
        final Instant end = T0.plus(Duration.ofHours(1));
        assertThat(validator.promotion("p-1", bytes(promotion("p-1", 2, null, T0, end))))
                .isEqualTo(Validated.valid(new Promotion("p-1", 2, null, T0, end)));
        assertThat(validator.promotion("p-2", bytes(promotion("p-1", 2, null, T0, end))))
                .isEqualTo(Validated.invalid("promo_id 'p-1' differs from the record key 'p-2'"));
        assertThat(validator.promotion("p-1", bytes(promotion("p-1", 0, null, T0, end))))
                .isEqualTo(Validated.invalid("multiplier must be a whole number from 1 to 1000, got 0"));
        assertThat(validator.promotion("p-1", bytes(promotion("p-1", 1001, null, T0, end))))
                .isEqualTo(Validated.invalid("multiplier must be a whole number from 1 to 1000, got 1001"));
        assertThat(validator.promotion("p-1", bytes(promotion("p-1", 2, "", T0, end))))
                .isEqualTo(Validated.invalid("store_id must not be empty"));
        assertThat(validator.promotion("p-1", bytes(promotion("p-1", 2, null, end, T0))))
                .isEqualTo(Validated.invalid("starts_at must be before ends_at"));
        assertThat(validator.promotion(null, null)).isEqualTo(Validated.invalid("record key (promo_id) is missing"));
        assertThat(InputValidator.isTombstone("p-1", null)).isTrue();
        assertThat(InputValidator.isTombstone(null, null)).isFalse();
    }

    private static byte[] withAmount(final String amountJson) {
        return bytes("{\"transaction_id\":\"t-1\",\"user_id\":\"u-1\",\"amount\":" + amountJson
                + ",\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"" + T0 + "\"}");
    }

    private static byte[] bytes(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
