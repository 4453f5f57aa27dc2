package io.loyaltylakehouse.dbt.schedule;

import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;

/**
 * A 5-field cron expression (minute hour day-of-month month day-of-week) with {@code *}, {@code *}{@code /n},
 * {@code a-b}, {@code a-b/n} and lists. As in cron, when both day fields are restricted a day matching either runs.
 */
public final class CronSchedule {
    private final String expression;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private CronSchedule(final String expression, final String[] fields) {
        this.expression = expression;
        this.minutes = field(fields[0], 0, 59, "minute");
        this.hours = field(fields[1], 0, 23, "hour");
        this.daysOfMonth = field(fields[2], 1, 31, "day of month");
        this.months = field(fields[3], 1, 12, "month");
        final BitSet dow = field(fields[4], 0, 7, "day of week");
        if (dow.get(7)) {
            dow.set(0);
        }
        this.daysOfWeek = dow;
        this.anyDayOfMonth = fields[2].startsWith("*");
        this.anyDayOfWeek = fields[4].startsWith("*");
    }

    public static CronSchedule parse(final String expression) {
        final String[] fields = expression.trim().split("\\s+");
        if (fields.length != 5) {
            throw new IllegalArgumentException("cron expression '" + expression
                    + "' must have 5 fields: minute hour day-of-month month day-of-week");
        }
        return new CronSchedule(expression.trim(), fields);
    }

    private static BitSet field(final String text, final int min, final int max, final String name) {
        final BitSet bits = new BitSet(max + 1);
        for (final String part : text.split(",")) {
            final String[] stepSplit = part.split("/", 2);
            final int step = stepSplit.length == 2 ? Integer.parseInt(stepSplit[1]) : 1;
            final String range = stepSplit[0];
            final int from;
            final int to;
            if ("*".equals(range)) {
                from = min;
                to = max;
            } else if (range.contains("-")) {
                from = Integer.parseInt(range.substring(0, range.indexOf('-')));
                to = Integer.parseInt(range.substring(range.indexOf('-') + 1));
            } else {
                from = Integer.parseInt(range);
                to = stepSplit.length == 2 ? max : from;
            }
            if (from < min || to > max || from > to || step < 1) {
                throw new IllegalArgumentException("cron " + name + " '" + part + "' is out of range " + min + "-" + max);
            }
            for (int value = from; value <= to; value += step) {
                bits.set(value);
            }
        }
        return bits;
    }

    /** The first matching minute strictly after {@code after}. */
    public ZonedDateTime next(final ZonedDateTime after) {
        ZonedDateTime candidate = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
        final ZonedDateTime limit = candidate.plusYears(5);
        while (candidate.isBefore(limit)) {
            if (!months.get(candidate.getMonthValue())) {
                candidate = candidate.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
            } else if (!dayMatches(candidate)) {
                candidate = candidate.truncatedTo(ChronoUnit.DAYS).plusDays(1);
            } else if (!hours.get(candidate.getHour())) {
                candidate = candidate.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(candidate.getMinute())) {
                candidate = candidate.plusMinutes(1);
            } else {
                return candidate;
            }
        }
        throw new IllegalStateException("cron expression '" + expression + "' never fires");
    }

    private boolean dayMatches(final ZonedDateTime time) {
        final boolean dom = daysOfMonth.get(time.getDayOfMonth());
        final boolean dow = daysOfWeek.get(time.getDayOfWeek().getValue() % 7);
        if (anyDayOfMonth || anyDayOfWeek) {
            return dom && dow;
        }
        return dom || dow;
    }

    @Override
    public String toString() {
        return expression;
    }
}
