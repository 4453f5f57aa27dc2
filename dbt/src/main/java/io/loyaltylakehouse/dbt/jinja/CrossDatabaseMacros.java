package io.loyaltylakehouse.dbt.jinja;

import java.util.List;
import java.util.stream.Collectors;

/** dbt's cross-database macros ({@code {{ dbt.date_trunc('day', 'ts') }}}) in their dbt-trino renderings. */
public final class CrossDatabaseMacros {

    public String current_timestamp() {
        return "current_timestamp";
    }

    public String date_trunc(final String datepart, final String date) {
        return "date_trunc('" + datepart + "', " + date + ")";
    }

    public String dateadd(final String datepart, final Object interval, final String fromDateOrTimestamp) {
        return "date_add('" + datepart + "', " + interval + ", " + fromDateOrTimestamp + ")";
    }

    public String datediff(final String firstDate, final String secondDate, final String datepart) {
        return "date_diff('" + datepart + "', " + firstDate + ", " + secondDate + ")";
    }

    public String safe_cast(final String field, final String type) {
        return "try_cast(" + field + " as " + type + ")";
    }

    public String hash(final String field) {
        return "lower(to_hex(md5(to_utf8(cast(" + field + " as varchar)))))";
    }

    public String concat(final List<Object> fields) {
        return "concat(" + fields.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }

    public String split_part(final String string, final String delimiter, final Object part) {
        return "split_part(" + string + ", " + delimiter + ", " + part + ")";
    }

    public String type_string() {
        return "varchar";
    }

    public String type_timestamp() {
        return "timestamp";
    }

    public String type_int() {
        return "integer";
    }

    public String type_bigint() {
        return "bigint";
    }

    public String type_float() {
        return "double";
    }

    public String type_numeric() {
        return "decimal(28, 6)";
    }

    public String type_boolean() {
        return "boolean";
    }
}
