package io.loyaltylakehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final Instant NOW = Instant.parse("2026-11-25T14:00:00Z");
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration AHEAD = Duration.ofMinutes(45);

    private static final Duration SPAN = Duration.ofHours(20);

    @Test
    void aFreshRunEndsAboutNow() {
        final Timeline timeline = Timeline.of(NOW, Optional.empty(), Optional.empty(), 3_600, SECOND, AHEAD, SPAN);

        assertThat(timeline.start()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(timeline.spacing()).isEqualTo(SECOND);
    }

    @Test
    void aRunLongerThanItsMaximumSpanIsSpacedCloser() {
        final Timeline timeline = Timeline.of(NOW, Optional.empty(), Optional.empty(), 100_000, SECOND, AHEAD, SPAN);

        assertThat(timeline.spacing()).isEqualTo(Duration.ofMillis(720));
        assertThat(timeline.start()).isEqualTo(NOW.minus(SPAN));
    }

    @Test
    void neverStartsBeforeWhatIsAlreadyOnTheTopics() {
        final Instant latest = NOW.minus(Duration.ofMinutes(30));

        final Timeline timeline = Timeline.of(NOW, Optional.of(latest), Optional.empty(), 3_600, SECOND, AHEAD, SPAN);

        assertThat(timeline.start()).isAfter(latest.plus(Duration.ofMinutes(1)));
        assertThat(timeline.start().plus(timeline.spacing().multipliedBy(3_600)))
                .isBeforeOrEqualTo(NOW);
    }

    @Test
    void squeezesTheSpacingToEndByNowRatherThanGoAheadOfTheWallClock() {
        final Instant latest = NOW.minus(Duration.ofMinutes(10));

        final Timeline timeline = Timeline.of(NOW, Optional.of(latest), Optional.empty(), 3_600, SECOND, AHEAD, SPAN);

        assertThat(timeline.spacing()).isLessThan(SECOND);
        assertThat(timeline.start().plus(timeline.spacing().multipliedBy(3_600)))
                .isBeforeOrEqualTo(NOW)
                .isAfter(NOW.minusSeconds(1));
        assertThat(timeline.notBefore()).isEqualTo(NOW);
    }

    @Test
    void squeezesTheSpacingRatherThanRunTooFarAhead() {
        final Instant latest = NOW.plus(Duration.ofMinutes(20));

        final Timeline timeline = Timeline.of(NOW, Optional.of(latest), Optional.empty(), 3_600, SECOND, AHEAD, SPAN);

        assertThat(timeline.spacing()).isLessThan(SECOND);
        assertThat(timeline.start().plus(timeline.spacing().multipliedBy(3_600)))
                .isBeforeOrEqualTo(NOW.plus(AHEAD));
    }

    @Test
    void waitsForTheWallClockWhenEvenTheTightestSpacingWouldRunTooFarAhead() {
        final Instant latest = NOW.plus(AHEAD).minusSeconds(30);

        final Timeline timeline = Timeline.of(NOW, Optional.of(latest), Optional.empty(), 10_000, SECOND, AHEAD, SPAN);

        assertThat(timeline.spacing()).isEqualTo(Timeline.MIN_SPACING);
        assertThat(timeline.notBefore()).isAfter(NOW);
        assertThat(timeline.start().plus(Timeline.MIN_SPACING.multipliedBy(10_000)))
                .isEqualTo(timeline.notBefore().plus(AHEAD));
    }

    @Test
    void refusesWhenTheWaitWouldBeLong() {
        final Instant latest = NOW.plus(AHEAD).plus(Duration.ofMinutes(30));

        assertThatThrownBy(() -> Timeline.of(NOW, Optional.of(latest), Optional.empty(), 10_000, SECOND, AHEAD, SPAN))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lower EVENTS, or wait");
    }

    @Test
    void aConfiguredStartWins() {
        final Instant start = Instant.parse("2026-01-01T00:00:00Z");

        assertThat(Timeline.of(NOW, Optional.of(NOW), Optional.of(start), 10, SECOND, AHEAD, SPAN)
                        .start())
                .isEqualTo(start);
    }
}
