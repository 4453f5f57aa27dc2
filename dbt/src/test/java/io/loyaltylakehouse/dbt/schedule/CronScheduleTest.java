package io.loyaltylakehouse.dbt.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
    private static ZonedDateTime at(final String text) {
        return ZonedDateTime.parse(text);
    }

    @Test
    void everyFifteenMinutes() {
        final CronSchedule cron = CronSchedule.parse("*/15 * * * *");
        assertThat(cron.next(at("2026-11-25T14:07:31Z"))).isEqualTo(at("2026-11-25T14:15:00Z"));
        assertThat(cron.next(at("2026-11-25T14:15:00Z"))).isEqualTo(at("2026-11-25T14:30:00Z"));
        assertThat(cron.next(at("2026-11-25T23:59:00Z"))).isEqualTo(at("2026-11-26T00:00:00Z"));
    }

    @Test
    void rangesListsAndDaysOfWeek() {
        assertThat(CronSchedule.parse("30 2 * * 1-5").next(at("2026-11-27T03:00:00Z")))   // a Friday
                .isEqualTo(at("2026-11-30T02:30:00Z"));                                      // next Monday
        assertThat(CronSchedule.parse("0 9,17 * * *").next(at("2026-11-25T09:00:00Z"))).isEqualTo(at("2026-11-25T17:00:00Z"));
        assertThat(CronSchedule.parse("0 0 1 */3 *").next(at("2026-11-25T00:00:00Z"))).isEqualTo(at("2027-01-01T00:00:00Z"));
        assertThat(CronSchedule.parse("0 0 * * 7").next(at("2026-11-25T00:00:00Z"))).isEqualTo(at("2026-11-29T00:00:00Z"));
    }

    @Test
    void invalidExpressionsSayWhy() {
        assertThatThrownBy(() -> CronSchedule.parse("*/15 * * *")).hasMessageContaining("must have 5 fields");
        assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).hasMessageContaining("minute '61' is out of range 0-59");
    }
}
