package io.loyaltylakehouse.load.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.load.oracle.Truth;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RealtimeCheckTest {
    private static final Instant NOON = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void agreesWhenEveryCountMatchesAndNamesEachDifferenceOtherwise() {
        final Truth truth = new Truth(
                new Truth.Run("r1", 1, 10, NOON, NOON, true, true, "p", "r", "promo", 4, "legacy", 1, 1),
                Map.of(),
                Map.of("p.dlq", 2L),
                Map.of(),
                List.of(),
                Map.of("u-1", new Truth.UserTruth(90, null, 90, 3, 3, 0, 0, 1, 40, 1, 0, 0, 1, 1)));
        final RealtimeCheck.Observed observed = RealtimeCheck.Observed.empty();
        observed.balances().put("u-1", 90L);
        observed.entries().put("u-1", 3L);
        observed.paused().put("u-1", 1L);
        observed.withheld().put("u-1", 40L);
        observed.alerts().put("u-1", 1L);
        observed.accepted().put("u-1", 1L);
        observed.rejected().put("u-1", 1L);
        observed.deadLetters().put("p.dlq", 2L);

        assertThat(RealtimeCheck.differences(truth, observed)).isEmpty();

        observed.balances().put("u-1", 100L);
        observed.deadLetters().remove("p.dlq");
        assertThat(RealtimeCheck.differences(truth, observed))
                .containsExactly("u-1: balance expected 90 but was 100", "p.dlq: dead letters expected 2 but was 0");
    }
}
