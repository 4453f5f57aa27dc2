package io.loyaltylakehouse.edge.accrual;

import static io.loyaltylakehouse.edge.accrual.RuleFixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PartitionStreamTimeTest {
    private final PartitionStreamTime rule = new PartitionStreamTime(Duration.ofMinutes(1));

    @Test
    void theHighestEventTimeCountsButNeverMoreThanTheLeadPastTheWallClock() {
        final long past = NOW.minusSeconds(600).toEpochMilli();
        assertThat(rule.advance(null, NOW.minusSeconds(600), NOW)).isEqualTo(past);
        assertThat(rule.advance(past, NOW.minusSeconds(900), NOW))
                .as("never backwards")
                .isEqualTo(past);
        assertThat(rule.advance(past, NOW.plus(Duration.ofMinutes(50)), NOW))
                .isEqualTo(NOW.plus(Duration.ofMinutes(1)).toEpochMilli());
        // as the clock moves on, the same record counts for more
        assertThat(rule.advance(past, NOW.plus(Duration.ofMinutes(50)), NOW.plus(Duration.ofMinutes(30))))
                .isEqualTo(NOW.plus(Duration.ofMinutes(31)).toEpochMilli());
    }
}
