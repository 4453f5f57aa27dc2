package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * dbt-trino's seed: drop the old table ({@code trino__reset_csv_table}), {@code create table} with inferred or
 * configured column types, then insert 1000 rows per statement. Typed columns (dates, timestamps, and every
 * non-varchar {@code column_types} override) are written as typed literals; the rest are bind parameters.
 */
public final class SeedMaterialization {
    static final int BATCH_SIZE = 1000;
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern NUMBER = Pattern.compile("-?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[ T]\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z?");

    private SeedMaterialization() {
    }

    /** The parsed CSV: header and rows ({@code null} for empty or {@code null} cells). */
    public record Csv(List<String> header, List<List<String>> rows) {
    }

    public static Adapter.Response run(final Warehouse warehouse, final ModelJob job, final Csv csv) {
        final Relation target = job.target().withType(Relation.Type.TABLE);
        final Optional<Relation> existing = warehouse.lookup(target);
        if (existing.isPresent() && existing.get().isView()) {
            throw new IllegalStateException("Cannot seed to '" + target + "', it is a view");
        }
        final List<String> types = columnTypes(csv, job.map("column_types"));
        job.runHooks(warehouse, job.preHooks());
        existing.ifPresent(relation -> warehouse.run(Ddl.drop(relation)));
        warehouse.run(createTable(target, csv.header(), types, quoteColumns(job)));
        for (int start = 0; start < csv.rows().size(); start += BATCH_SIZE) {
            final List<List<String>> chunk = csv.rows().subList(start, Math.min(csv.rows().size(), start + BATCH_SIZE));
            final List<Object> bindings = new ArrayList<>();
            warehouse.run(insert(target, csv.header(), types, quoteColumns(job), job.map("column_types"), chunk, bindings),
                    bindings);
        }
        job.runHooks(warehouse, job.postHooks());
        final String code = job.fullRefresh() ? "CREATE" : "INSERT";
        return Adapter.Response.seed(code, csv.rows().size());
    }

    private static boolean quoteColumns(final ModelJob job) {
        return job.flag("quote_columns", true);
    }

    private static String column(final String name, final boolean quote) {
        return quote ? Relation.quote(name) : name;
    }

    static String createTable(final Relation target, final List<String> header, final List<String> types,
                              final boolean quote) {
        final List<String> columns = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            columns.add(column(header.get(i), quote) + " " + types.get(i));
        }
        return "create table " + target.render() + " (" + String.join(", ", columns) + ")";
    }

    static String insert(final Relation target, final List<String> header, final List<String> types, final boolean quote,
                         final Map<String, Object> overrides, final List<List<String>> chunk, final List<Object> bindings) {
        final List<String> rows = new ArrayList<>();
        for (final List<String> row : chunk) {
            final List<String> values = new ArrayList<>();
            for (int i = 0; i < header.size(); i++) {
                final String cell = i < row.size() ? row.get(i) : null;
                final String type = types.get(i);
                final boolean typedLiteral = overrides.containsKey(header.get(i)) ? !type.toLowerCase(Locale.ROOT).startsWith("varchar")
                        : type.equals("DATE") || type.equals("TIMESTAMP");
                if (typedLiteral) {
                    values.add(cell == null ? "NULL" : type + " '" + cell.replace("'", "''") + "'");
                } else {
                    values.add("?");
                    bindings.add(bind(cell, type));
                }
            }
            rows.add("(" + String.join(",", values) + ")");
        }
        final List<String> columns = header.stream().map(h -> column(h, quote)).toList();
        return "insert into " + target.render() + " (" + String.join(", ", columns) + ") values\n"
                + String.join(",\n", rows);
    }

    private static Object bind(final String cell, final String type) {
        if (cell == null) {
            return null;
        }
        return switch (type) {
            case "INTEGER" -> Integer.valueOf(cell.trim());
            case "DOUBLE" -> new BigDecimal(cell.trim());
            case "boolean" -> Boolean.valueOf(cell.trim().toLowerCase(Locale.ROOT));
            default -> cell;
        };
    }

    /** dbt-trino's type inference over agate's testers, with {@code column_types} overrides. */
    static List<String> columnTypes(final Csv csv, final Map<String, Object> overrides) {
        final List<String> types = new ArrayList<>();
        for (int i = 0; i < csv.header().size(); i++) {
            final String name = csv.header().get(i);
            final Object override = overrides.get(name);
            types.add(override != null ? String.valueOf(override) : infer(csv.rows(), i));
        }
        return types;
    }

    static String infer(final List<List<String>> rows, final int index) {
        final List<String> values = rows.stream().map(r -> index < r.size() ? r.get(index) : null)
                .filter(v -> v != null).map(String::trim).toList();
        if (values.isEmpty()) {
            return "INTEGER";
        }
        if (values.stream().allMatch(v -> INTEGER.matcher(v).matches() && fitsInt(v))) {
            return "INTEGER";
        }
        if (values.stream().allMatch(v -> NUMBER.matcher(v).matches())) {
            return values.stream().anyMatch(v -> v.contains(".") || v.contains("e") || v.contains("E")) ? "DOUBLE" : "INTEGER";
        }
        if (values.stream().allMatch(v -> DATE.matcher(v).matches())) {
            return "DATE";
        }
        if (values.stream().allMatch(v -> DATETIME.matcher(v).matches())) {
            return "TIMESTAMP";
        }
        if (values.stream().allMatch(v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))) {
            return "boolean";
        }
        return "VARCHAR";
    }

    private static boolean fitsInt(final String value) {
        try {
            Integer.parseInt(value);
            return true;
        } catch (final NumberFormatException e) {
            return false;
        }
    }

    /** RFC 4180 CSV; empty cells and the literal {@code null} are NULL. */
    public static Csv parse(final String text) {
        final List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        final StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < text.length(); i++) {
            final char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                record.add(cellValue(cell, wasQuoted));
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(cellValue(cell, wasQuoted));
                cell.setLength(0);
                wasQuoted = false;
                if (!(record.size() == 1 && record.get(0) == null)) {
                    records.add(record);
                }
                record = new ArrayList<>();
            } else {
                cell.append(c);
            }
        }
        if (cell.length() > 0 || !record.isEmpty()) {
            record.add(cellValue(cell, wasQuoted));
            records.add(record);
        }
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the seed file is empty (a header row is required)");
        }
        final List<String> header = records.get(0).stream().map(h -> h == null ? "" : h.trim()).toList();
        return new Csv(header, records.subList(1, records.size()));
    }

    private static String cellValue(final StringBuilder cell, final boolean wasQuoted) {
        final String value = cell.toString();
        if (!wasQuoted && (value.isEmpty() || "null".equals(value))) {
            return null;
        }
        return value.isEmpty() ? null : value;
    }
}
