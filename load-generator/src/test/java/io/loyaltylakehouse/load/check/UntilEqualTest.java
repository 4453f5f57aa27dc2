package io.loyaltylakehouse.load.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class UntilEqualTest {
    private static final Duration EVERY = Duration.ofMillis(1);

    @Test
    void comparesAgainThroughAFailureUntilNothingDiffers() throws Exception {
        final AtomicInteger calls = new AtomicInteger();

        final List<String> left = UntilEqual.await(
                () -> switch (calls.incrementAndGet()) {
                    case 1 -> List.of("u-1: balance expected 10 but was 0");
                    case 2 -> throw new IllegalStateException("Trino restarting");
                    default -> List.of();
                },
                Duration.ofMinutes(1),
                EVERY);

        assertThat(left).isEmpty();
        assertThat(calls).hasValue(3);
    }

    @Test
    void givesTheLastDifferencesWhenTheWaitIsOver() throws Exception {
        final List<String> left = UntilEqual.await(
                () -> {
                    throw new IllegalStateException("no broker");
                },
                Duration.ZERO,
                EVERY);

        assertThat(left).containsExactly("cannot compare yet: no broker");
    }
}
