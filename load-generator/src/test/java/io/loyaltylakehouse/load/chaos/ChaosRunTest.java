package io.loyaltylakehouse.load.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosRunTest {
    @Test
    void theSpacingMakesEventTimeRunAtTheSetPaceWhateverTheRate() {
        assertThat(ChaosRun.spacing(Duration.ofMinutes(1), 500)).isEqualTo("120ms");
        assertThat(ChaosRun.spacing(Duration.ofMinutes(1), 60)).isEqualTo("1000ms");
        assertThat(ChaosRun.spacing(Duration.ofSeconds(1), 5000)).isEqualTo("1ms");
    }
}
