package io.loyaltylakehouse.dbt.materialization;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;

/** YAML fixture values as SQL literals (unit tests): strings quoted, numbers and booleans raw, dates as text. */
public final class SqlLiterals {
    private SqlLiterals() {
    }

    public static String of(final Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        if (value instanceof Date date) {
            // YAML reads 2026-01-01 and 2026-01-01 10:00:00 as dates (UTC); give Trino the text to cast
            final boolean midnight = date.getTime() % 86_400_000L == 0;
            final SimpleDateFormat format = new SimpleDateFormat(midnight ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm:ss.SSS");
            format.setTimeZone(TimeZone.getTimeZone("UTC"));
            return "'" + format.format(date) + "'";
        }
        return "'" + String.valueOf(value).replace("'", "''") + "'";
    }
}
