package io.loyaltylakehouse.common.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadLetterTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String SHA_OF_NOT_JSON = "92072df399cb74703f8e86f450d552bc0bb01eeeb98a90985a1b7772c8fd0016";

    @Test
    void aSmallValueIsKeptWholeWithItsLengthAndDigest() {
        final DeadLetter letter =
                DeadLetter.of("{not json".getBytes(StandardCharsets.UTF_8), "not JSON", "t", 1, 7, NOW);

        // sha256sum of the 9 bytes "{not json"
        assertThat(letter)
                .isEqualTo(new DeadLetter("{not json", false, 9, SHA_OF_NOT_JSON, "not JSON", "t", 1, 7, NOW));
    }

    @Test
    void aHugeValueIsCutButItsFullLengthAndDigestAreKept() {
        final byte[] raw = "x".repeat(3_000_000).getBytes(StandardCharsets.UTF_8);

        final DeadLetter letter = DeadLetter.of(raw, "e".repeat(5_000), "purchase_events", 0, 42, NOW);

        assertThat(letter.raw()).hasSize(DeadLetter.MAX_RAW_BYTES);
        assertThat(letter.rawTruncated()).isTrue();
        assertThat(letter.rawLength()).isEqualTo(3_000_000);
        assertThat(letter.rawSha256()).isEqualTo(DeadLetter.sha256(raw));
        assertThat(letter.error()).startsWith("eee").endsWith("...[cut, 5000 chars]");
        assertThat(Json.toBytes(letter).length).isLessThan(16 * 1024);
    }

    @Test
    void aRecordWithoutValueHasNoDigest() {
        assertThat(DeadLetter.of((byte[]) null, "record has no value", "t", 0, 0, NOW))
                .isEqualTo(new DeadLetter(null, false, 0, null, "record has no value", "t", 0, 0, NOW));
    }

    @Test
    void itsJsonNamesTheContractFields() {
        final String json = Json.toJson(DeadLetter.of("v", "why", "purchase_events", 2, 9, NOW));

        assertThat(json)
                .contains(
                        "\"raw\":\"v\"",
                        "\"raw_truncated\":false",
                        "\"raw_length\":1",
                        "\"raw_sha256\":",
                        "\"error\":\"why\"",
                        "\"source_topic\":\"purchase_events\"",
                        "\"partition\":2",
                        "\"offset\":9");
    }
}
