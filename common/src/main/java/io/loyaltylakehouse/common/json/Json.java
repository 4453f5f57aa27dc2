package io.loyaltylakehouse.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
 * Reading is bounded ({@link #READ_LIMITS}) so a hostile record (a decompression bomb, deep nesting, a huge number)
 * fails fast with a clear error instead of costing unbounded memory or CPU.
 */
public final class Json {
    /** No field of the contract needs more than a few hundred characters; 64 KiB leaves room for legacy text. */
    public static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder()
            .maxStringLength(64 * 1024)
            .maxNestingDepth(32)
            .maxNumberLength(64)
            .maxDocumentLength(4L * 1024 * 1024)
            .build();

    public static final ObjectMapper MAPPER = new ObjectMapper(
                    JsonFactory.builder().streamReadConstraints(READ_LIMITS).build())
            .registerModule(new JavaTimeModule())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.ALWAYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);

    private Json() {}

    public static byte[] toBytes(final Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (final JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "cannot serialize " + value.getClass().getSimpleName(), e);
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
