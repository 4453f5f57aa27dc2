package io.loyaltylakehouse.cdc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.cdc.mapping.MappedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class BridgeMetricsTest {
    private static final Duration STALL_AFTER = Duration.ofSeconds(60);

    private final MovableClock clock = new MovableClock();
    private final BridgeMetrics metrics = new BridgeMetrics(clock);

    @Test
    void nothingDeliveredWhileTheSlotLagGrowsIsAStall() {
        metrics.slotLagBytes(1_000);
        metrics.delivered(heartbeat());

        clock.advance(Duration.ofSeconds(61));
        assertThat(metrics.stalled(STALL_AFTER))
                .as("quiet database: the lag did not grow")
                .isFalse();

        metrics.slotLagBytes(90_000);
        assertThat(metrics.stalled(STALL_AFTER)).isTrue();
        assertThat(metrics.registry().count("seconds_since_delivery", "")).isEqualTo(61);

        metrics.delivered(heartbeat());
        assertThat(metrics.stalled(STALL_AFTER)).as("delivering again").isFalse();
    }

    @Test
    void aGrowingLagIsNoStallWhileBatchesAreDelivered() {
        metrics.slotLagBytes(1_000);
        clock.advance(Duration.ofSeconds(30));
        metrics.delivered(heartbeat());
        metrics.slotLagBytes(500_000);
        clock.advance(Duration.ofSeconds(59));

        assertThat(metrics.stalled(STALL_AFTER)).isFalse();
    }

    private MappedEvent heartbeat() {
        return new MappedEvent(MappedEvent.Kind.HEARTBEAT, "", "", "false", clock.millis(), List.of(), 0, false, null);
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T12:00:00Z");

        void advance(final Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
