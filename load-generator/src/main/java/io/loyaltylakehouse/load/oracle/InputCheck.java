package io.loyaltylakehouse.load.oracle;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The oracle's own reading of the input messages of CONTRACT section 3, written from the contract alone (not shared
 * with edge-streams on purpose): a record either parses into the model or has a reason to be dead-lettered. Only the
 * message records of {@code common.model} are shared (shapes, not rules).
 */
final class InputCheck {
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");
    private static final String ID_PROBLEM = "bad id: ";
    /** Decimals stay exact ("25.90" keeps its scale) so the 2-decimal rule can be checked. */
    private static final ObjectReader READER = Json.MAPPER
            .reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A parsed value or the reason it is refused. */
    record Checked<T>(T value, String reason) {
        static <T> Checked<T> ok(final T value) {
            return new Checked<>(value, null);
        }

        static <T> Checked<T> refused(final String reason) {
            return new Checked<>(null, reason);
        }

        boolean valid() {
            return value != null;
        }
    }

    private InputCheck() {}

    static Checked<PurchaseEvent> purchase(final byte[] raw) {
        final JsonNode node = object(raw);
        if (node == null) {
            return Checked.refused("not a JSON object");
        }
        final String transactionId = text(node, "transaction_id");
        final String userId = text(node, "user_id");
        final String storeId = text(node, "store_id");
        final BigDecimal amount = decimal(node.get("amount"));
        final Instant eventTime = instant(node.get("event_time"));
        if (transactionId == null || userId == null || storeId == null) {
            return Checked.refused("transaction_id, user_id and store_id are required");
        }
        final String badId = idProblem("transaction_id", transactionId, "user_id", userId);
        if (badId != null) {
            return Checked.refused(badId);
        }
        if (amount == null || amount.signum() <= 0 || amount.compareTo(MAX_AMOUNT) > 0) {
            return Checked.refused("amount must be a decimal > 0 and <= 1000000");
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            return Checked.refused("amount has more than 2 decimals");
        }
        if (!"USD".equals(text(node, "currency"))) {
            return Checked.refused("currency must be USD");
        }
        if (eventTime == null) {
            return Checked.refused("event_time must be an ISO-8601 instant");
        }
        return Checked.ok(new PurchaseEvent(transactionId, userId, amount, "USD", storeId, eventTime));
    }

    static Checked<RedemptionEvent> redemption(final byte[] raw) {
        final JsonNode node = object(raw);
        if (node == null) {
            return Checked.refused("not a JSON object");
        }
        final String redemptionId = text(node, "redemption_id");
        final String userId = text(node, "user_id");
        final JsonNode points = node.get("points");
        final Instant eventTime = instant(node.get("event_time"));
        if (redemptionId == null || userId == null) {
            return Checked.refused("redemption_id and user_id are required");
        }
        final String badId = idProblem("redemption_id", redemptionId, "user_id", userId);
        if (badId != null) {
            return Checked.refused(badId);
        }
        if (points == null || !points.isIntegralNumber() || !points.canConvertToLong() || points.longValue() <= 0) {
            return Checked.refused("points must be a positive integer");
        }
        if (eventTime == null) {
            return Checked.refused("event_time must be an ISO-8601 instant");
        }
        return Checked.ok(new RedemptionEvent(redemptionId, userId, points.longValue(), eventTime));
    }

    static Checked<Promotion> promotion(final byte[] raw) {
        final JsonNode node = object(raw);
        if (node == null) {
            return Checked.refused("not a JSON object");
        }
        final String promoId = text(node, "promo_id");
        final JsonNode multiplier = node.get("multiplier");
        final JsonNode store = node.get("store_id");
        final Instant startsAt = instant(node.get("starts_at"));
        final Instant endsAt = instant(node.get("ends_at"));
        if (promoId == null) {
            return Checked.refused("promo_id is required");
        }
        final String badId = idProblem("promo_id", promoId, "promo_id", promoId);
        if (badId != null) {
            return Checked.refused(badId);
        }
        if (multiplier == null
                || !multiplier.isIntegralNumber()
                || !multiplier.canConvertToInt()
                || multiplier.intValue() < 1) {
            return Checked.refused("multiplier must be an integer >= 1");
        }
        if (store != null && !store.isNull() && !store.isTextual()) {
            return Checked.refused("store_id must be a string or null");
        }
        if (startsAt == null || endsAt == null || !startsAt.isBefore(endsAt)) {
            return Checked.refused("starts_at and ends_at must be instants with starts_at < ends_at");
        }
        final String storeId = store == null || store.isNull() ? null : store.asText();
        return Checked.ok(new Promotion(promoId, multiplier.intValue(), storeId, startsAt, endsAt));
    }

    /** True for a refusal by the id rule of CONTRACT 3 (white space, control characters, length). */
    static boolean isIdProblem(final String reason) {
        return reason.startsWith(ID_PROBLEM);
    }

    /** The first of two ids that breaks CONTRACT 3's id rule, as a reason; null when both are fine. */
    private static String idProblem(
            final String firstName, final String first, final String secondName, final String second) {
        final String firstProblem = Rules.idProblem(first);
        if (firstProblem != null) {
            return ID_PROBLEM + firstName + " " + firstProblem;
        }
        final String secondProblem = Rules.idProblem(second);
        return secondProblem == null ? null : ID_PROBLEM + secondName + " " + secondProblem;
    }

    private static JsonNode object(final byte[] raw) {
        if (raw == null) {
            return null;
        }
        try {
            final JsonNode node = READER.readTree(raw);
            return node != null && node.isObject() ? node : null;
        } catch (final IOException e) {
            return null;
        }
    }

    private static String text(final JsonNode node, final String field) {
        final JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isEmpty() ? value.asText() : null;
    }

    /** The contract allows a JSON number or a decimal string. */
    private static BigDecimal decimal(final JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        if (value.isTextual()) {
            try {
                return new BigDecimal(value.asText().trim());
            } catch (final NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Instant instant(final JsonNode value) {
        if (value == null || !value.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(value.asText());
        } catch (final DateTimeParseException e) {
            return null;
        }
    }
}
