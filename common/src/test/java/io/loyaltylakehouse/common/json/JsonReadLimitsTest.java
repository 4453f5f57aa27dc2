package io.loyaltylakehouse.common.json;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

class JsonReadLimitsTest {
    @Test
    void aHugeStringIsRefusedWithoutBeingEchoed() {
        final String json = "{\"currency\":\"" + "U".repeat(3_000_000) + "\"}";

        assertThatThrownBy(() -> Json.fromJson(json, JsonNode.class))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("String value length")
                .satisfies(e -> assertMessageShort(e.getMessage()));
    }

    @Test
    void deepNestingIsRefused() {
        final String json = "[".repeat(20_000) + "]".repeat(20_000);

        assertThatThrownBy(() -> Json.fromJson(json, JsonNode.class)).hasMessageContaining("nesting depth");
    }

    @Test
    void aHugeNumberIsRefused() {
        final String json = "{\"amount\":" + "9".repeat(500) + "}";

        assertThatThrownBy(() -> Json.fromJson(json, JsonNode.class)).hasMessageContaining("Number value length");
    }

    private static void assertMessageShort(final String message) {
        org.assertj.core.api.Assertions.assertThat(message.length()).isLessThan(2_000);
    }
}
