package io.loyaltylakehouse.edge.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterLimitsTest {
    private static final Instant NOW = Instant.parse("2026-11-25T14:00:00Z");
    private final DeadLetter large = DeadLetter.of("x".repeat(100_000), "not valid JSON", "purchase_events", 0, 7, NOW);

    @Test
    void aDeadLetterIsWrittenWholeWhenItFits() {
        final DeadLetterLimits limits = new DeadLetterLimits(512 * 1024, Map.of());
        assertThat(Json.fromBytes(limits.fit(large, "purchase_events.dlq"), DeadLetter.class))
                .isEqualTo(large);
    }

    @Test
    void withoutItsRawValueWhenOnlyThatFitsTheTopicAndNotAtAllBelowThat() {
        final DeadLetterLimits limits = new DeadLetterLimits(512 * 1024, Map.of("small.dlq", 4096, "tiny.dlq", 1200));
        assertThat(limits.limit("small.dlq")).isEqualTo(4096 - DeadLetterLimits.MARGIN);
        final DeadLetter stripped = Json.fromBytes(limits.fit(large, "small.dlq"), DeadLetter.class);
        assertThat(stripped.raw()).isNull();
        assertThat(stripped.rawTruncated()).isTrue();
        assertThat(stripped.rawLength()).isEqualTo(100_000);
        assertThat(stripped.rawSha256()).isEqualTo(large.rawSha256());
        assertThat(stripped.error()).isEqualTo("not valid JSON");
        assertThat(limits.fit(large, "tiny.dlq")).isNull();
    }
}
