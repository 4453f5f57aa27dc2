package io.loyaltylakehouse.edge.validation;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The input rules of CONTRACT section 3, as pure functions from raw bytes to a typed message or a reason.
 * Every rule that fails names the field, so a dead letter tells the sender what to fix.
 */
public final class InputValidator {
    public static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000");
    public static final String CURRENCY = "USD";
    /** Longer ids are refused: each id is repeated in the outputs, which must stay far below Kafka's message limit. */
    public static final int MAX_ID_LENGTH = 256;
    /**
     * A purchase or redemption is a few hundred bytes; a larger one is refused, so an accepted record can travel
     * whole (for an exact dead letter later) through the internal topics. Also the dead letter's raw limit.
     */
    public static final int MAX_RECORD_BYTES = 8 * 1024;
    /** How much of a refused value a reason quotes. */
    private static final int MAX_QUOTED_CHARS = 64;
    /** Keeps any balance far inside a long: 1,000,000 x 1,000 points per purchase at most. */
    public static final int MAX_MULTIPLIER = 1000;

    // Decimals exactly as written (no double rounding); trailing garbage after the object is an error.
    private static final ObjectReader READER = Json.MAPPER
            .reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);

    private final Duration maxFutureSkew;

    /** {@code maxFutureSkew}: how far past the wall clock an event_time may be; zero = no limit. */
    public InputValidator(final Duration maxFutureSkew) {
        this.maxFutureSkew = maxFutureSkew;
    }

    public Validated<PurchaseEvent> purchase(final byte[] value, final Instant now) {
        try {
            final JsonNode json = boundedObject(value);
            final BigDecimal amount = amount(json);
            final String currency = text(json, "currency");
            if (!CURRENCY.equals(currency)) {
                throw new InvalidField("currency must be " + CURRENCY + ", got '" + quote(currency) + "'");
            }
            return Validated.valid(new PurchaseEvent(
                    id(json, "transaction_id"),
                    id(json, "user_id"),
                    amount,
                    currency,
                    id(json, "store_id"),
                    eventTime(json, now)));
        } catch (final InvalidField e) {
            return Validated.invalid(e.getMessage());
        }
    }

    public Validated<RedemptionEvent> redemption(final byte[] value, final Instant now) {
        try {
            final JsonNode json = boundedObject(value);
            final JsonNode points = json.get("points");
            if (points == null || points.isNull()) {
                throw new InvalidField("points is missing");
            }
            if (!points.isIntegralNumber() || !points.canConvertToLong()) {
                throw new InvalidField("points must be a whole number, got " + quote(points.toString()));
            }
            if (points.longValue() <= 0) {
                throw new InvalidField("points must be > 0, got " + points.longValue());
            }
            return Validated.valid(new RedemptionEvent(
                    id(json, "redemption_id"), id(json, "user_id"), points.longValue(), eventTime(json, now)));
        } catch (final InvalidField e) {
            return Validated.invalid(e.getMessage());
        }
    }

    /** A promotion under its record key (= promo_id). Check {@link #isTombstone} first: a tombstone withdraws. */
    public Validated<Promotion> promotion(final String key, final byte[] value) {
        try {
            if (key == null || key.isBlank()) {
                throw new InvalidField("record key (promo_id) is missing");
            }
            final JsonNode json = object(value);
            final String promoId = id(json, "promo_id");
            if (!promoId.equals(key)) {
                throw new InvalidField("promo_id '" + promoId + "' differs from the record key '" + quote(key) + "'");
            }
            final JsonNode multiplier = json.get("multiplier");
            if (multiplier == null
                    || !multiplier.isIntegralNumber()
                    || !multiplier.canConvertToInt()
                    || multiplier.intValue() < 1
                    || multiplier.intValue() > MAX_MULTIPLIER) {
                throw new InvalidField("multiplier must be a whole number from 1 to " + MAX_MULTIPLIER + ", got "
                        + quote(String.valueOf(multiplier)));
            }
            final JsonNode store = json.get("store_id");
            final String storeId = store == null || store.isNull() ? null : id(json, "store_id");
            final Instant startsAt = instant(json, "starts_at");
            final Instant endsAt = instant(json, "ends_at");
            if (!startsAt.isBefore(endsAt)) {
                throw new InvalidField("starts_at must be before ends_at");
            }
            return Validated.valid(new Promotion(promoId, multiplier.intValue(), storeId, startsAt, endsAt));
        } catch (final InvalidField e) {
            return Validated.invalid(e.getMessage());
        }
    }

    /** True for a record that withdraws a promotion rather than being refused. */
    public static boolean isTombstone(final String key, final byte[] value) {
        return value == null && key != null && !key.isBlank();
    }

    /** {@link #object} for a purchase or redemption, at most {@link #MAX_RECORD_BYTES}. */
    private static JsonNode boundedObject(final byte[] value) {
        if (value != null && value.length > MAX_RECORD_BYTES) {
            throw new InvalidField(
                    "record is " + value.length + " bytes, more than the " + MAX_RECORD_BYTES + " allowed");
        }
        return object(value);
    }

    private static JsonNode object(final byte[] value) {
        if (value == null) {
            throw new InvalidField("record has no value");
        }
        final JsonNode json;
        try {
            json = READER.readTree(value);
        } catch (final IOException e) {
            throw new InvalidField("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (json == null || !json.isObject()) {
            throw new InvalidField("not a JSON object");
        }
        return json;
    }

    /** A JSON number or a decimal string; > 0, <= 1,000,000, at most 2 decimals (trailing zeros don't count). */
    private static BigDecimal amount(final JsonNode json) {
        final JsonNode node = json.get("amount");
        final BigDecimal amount;
        if (node == null || node.isNull()) {
            throw new InvalidField("amount is missing");
        } else if (node.isNumber()) {
            amount = node.decimalValue();
        } else if (node.isTextual()) {
            amount = decimal(node.textValue());
        } else {
            throw new InvalidField("amount must be a number or a decimal string, got " + quote(node.toString()));
        }
        if (amount.signum() <= 0) {
            throw new InvalidField("amount must be > 0, got " + plain(amount));
        }
        if (amount.compareTo(MAX_AMOUNT) > 0) {
            throw new InvalidField("amount must be <= " + MAX_AMOUNT.toPlainString() + ", got " + plain(amount));
        }
        if (amount.stripTrailingZeros().scale() > 2) {
            throw new InvalidField("amount must have at most 2 decimals, got " + plain(amount));
        }
        return amount;
    }

    private static BigDecimal decimal(final String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (final NumberFormatException e) {
            throw new InvalidField("amount must be a number or a decimal string, got \"" + quote(text) + "\"");
        }
    }

    private Instant eventTime(final JsonNode json, final Instant now) {
        final Instant eventTime = instant(json, "event_time");
        if (!maxFutureSkew.isZero() && eventTime.isAfter(now.plus(maxFutureSkew))) {
            throw new InvalidField("event_time " + eventTime + " is more than " + maxFutureSkew + " in the future");
        }
        return eventTime;
    }

    private static Instant instant(final JsonNode json, final String field) {
        final String text = text(json, field);
        final Instant instant;
        try {
            instant = Instant.parse(text);
        } catch (final DateTimeParseException e) {
            throw new InvalidField(field + " must be an ISO-8601 UTC timestamp, got '" + quote(text) + "'");
        }
        // Kafka record timestamps cannot be negative.
        if (instant.isBefore(Instant.EPOCH)) {
            throw new InvalidField(field + " must not be before 1970, got " + quote(text));
        }
        return instant;
    }

    private static String id(final JsonNode json, final String field) {
        final String value = text(json, field);
        if (value.isBlank()) {
            throw new InvalidField(field + " must not be empty");
        }
        if (value.length() > MAX_ID_LENGTH) {
            throw new InvalidField(field + " must be at most " + MAX_ID_LENGTH + " characters, got " + value.length());
        }
        // CONTRACT 3: "t-1" and "t-1 " must not both earn, and ids are repeated in keys and logs.
        if (Character.isWhitespace(value.charAt(0))
                || Character.isWhitespace(value.charAt(value.length() - 1))
                || Character.isSpaceChar(value.charAt(0))
                || Character.isSpaceChar(value.charAt(value.length() - 1))) {
            throw new InvalidField(field + " must not start or end with white space");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidField(field + " must not contain control characters");
        }
        return value;
    }

    /** A number for a reason: plain when short, else scientific (1e999999999 must not become a billion digits). */
    private static String plain(final BigDecimal value) {
        return value.precision() - value.scale() <= 20 && value.scale() <= 20
                ? value.toPlainString()
                : value.toString();
    }

    /** At most {@link #MAX_QUOTED_CHARS} of an input text in a reason, saying how long it was. */
    private static String quote(final String text) {
        return text.length() <= MAX_QUOTED_CHARS
                ? text
                : text.substring(0, MAX_QUOTED_CHARS) + "...(" + text.length() + " chars)";
    }

    private static String text(final JsonNode json, final String field) {
        final JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            throw new InvalidField(field + " is missing");
        }
        if (!node.isTextual()) {
            throw new InvalidField(field + " must be a string, got " + quote(node.toString()));
        }
        return node.textValue();
    }

    private static String firstLine(final String message) {
        final String text = String.valueOf(message);
        final int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** A rule failed; the message is the dead letter's error. Control flow only, so no stack trace. */
    private static final class InvalidField extends RuntimeException {
        InvalidField(final String message) {
            super(message, null, false, false);
        }
    }
}
