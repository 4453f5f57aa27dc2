package io.loyaltylakehouse.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The one JSON mapping of the contract: snake_case fields, ISO-8601 UTC instants, nulls written out
 * (so {@code "paused_until": null} is explicit), unknown fields tolerated for forward compatibility.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private Json() {
    }

    public static byte[] toBytes(final Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static String toJson(final Object value) {
        return new String(toBytes(value), StandardCharsets.UTF_8);
    }

    public static <T> T fromBytes(final byte[] bytes, final Class<T> type) {
        try {
            return MAPPER.readValue(bytes, type);
        } catch (final IOException e) {
            throw new UncheckedIOException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    public static <T> T fromJson(final String json, final Class<T> type) {
        return fromBytes(json.getBytes(StandardCharsets.UTF_8), type);
    }
}
