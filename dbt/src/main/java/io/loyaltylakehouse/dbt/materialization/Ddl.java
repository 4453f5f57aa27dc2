package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Column;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The SQL text of dbt-trino's adapter macros (DT {@code adapters.sql}, {@code materializations/*.sql}). */
public final class Ddl {
    private Ddl() {
    }

    /** How {@code create table ... as} treats an existing table: plain, {@code or replace}, {@code if not exists}. */
    public enum CreateMode { CREATE, REPLACE, SKIP }

    public static String createTableAs(final Relation relation, final String sql, final Map<String, Object> properties,
                                       final String comment, final CreateMode mode) {
        final String head = switch (mode) {
            case CREATE -> "create table ";
            case REPLACE -> "create or replace table ";
            case SKIP -> "create table if not exists ";
        };
        return head + relation.render()
                + (comment == null ? "" : "\n    comment '" + comment.replace("'", "''") + "'")
                + properties(properties)
                + "\n  as (\n" + sql + "\n  )";
    }

    /** {@code WITH (k = v, ...)}: values are raw SQL ({@code "'PARQUET'"}, {@code "ARRAY['day(ts)']"}). */
    static String properties(final Map<String, Object> properties) {
        if (properties == null || properties.isEmpty()) {
            return "";
        }
        return "\n    WITH (" + properties.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining(",\n  ")) + ")";
    }

    public static String createView(final Relation relation, final String sql, final String security) {
        return "create or replace view\n    " + relation.render() + "\n  security " + security + "\n  as\n" + sql;
    }

    public static String drop(final Relation relation) {
        return "drop " + relation.typeKeyword() + " if exists " + relation.render();
    }

    public static String rename(final Relation from, final Relation to) {
        return "alter " + from.typeKeyword() + " " + from.render() + " rename to " + to.render();
    }

    public static String addColumn(final Relation relation, final Column column) {
        return "alter table " + relation.render() + " add column " + column.quoted() + " " + column.dataType();
    }

    public static String dropColumn(final Relation relation, final Column column) {
        return "alter table " + relation.render() + " drop column " + column.quoted();
    }

    public static String createSchema(final String database, final String schema) {
        return "create schema if not exists " + Relation.quote(database) + "." + Relation.quote(schema);
    }

    static String quotedCsv(final List<Column> columns) {
        return columns.stream().map(Column::quoted).collect(Collectors.joining(", "));
    }

    /** Append strategy (and merge/delete+insert without a unique key). */
    public static String insertFrom(final Relation target, final Relation source, final List<Column> columns) {
        final String csv = quotedCsv(columns);
        return "insert into " + target.render() + " (" + csv + ")\n    (\n        select " + csv + "\n        from "
                + source.render() + "\n    )";
    }

    /** dbt-trino's merge: predicates (incremental ones first, then one per key) and-ed in the {@code on}. */
    public static String merge(final Relation target, final Relation source, final List<String> uniqueKey,
                               final List<Column> destColumns, final List<String> updateColumns,
                               final List<String> incrementalPredicates) {
        final List<String> predicates = new java.util.ArrayList<>(incrementalPredicates);
        uniqueKey.forEach(key -> predicates.add("DBT_INTERNAL_SOURCE." + key + " = DBT_INTERNAL_DEST." + key));
        final String update = updateColumns.stream().map(c -> c + " = DBT_INTERNAL_SOURCE." + c)
                .collect(Collectors.joining(", "));
        final String values = destColumns.stream().map(c -> "DBT_INTERNAL_SOURCE." + c.quoted())
                .collect(Collectors.joining(", "));
        return "merge into " + target.render() + " as DBT_INTERNAL_DEST\n"
                + "    using " + source.render() + " as DBT_INTERNAL_SOURCE\n"
                + "    on (" + String.join(") and (", predicates) + ")\n"
                + "    when matched then update set\n        " + update + "\n"
                + "    when not matched then insert\n        (" + quotedCsv(destColumns) + ")\n"
                + "    values\n        (" + values + ")";
    }

    /** dbt-trino's delete+insert: {@code in} for one key, {@code exists} for a list; then the insert. */
    public static List<String> deleteInsert(final Relation target, final Relation source, final List<String> uniqueKey,
                                            final List<Column> destColumns, final List<String> incrementalPredicates) {
        final String predicates = incrementalPredicates.stream().map(p -> "\n    and " + p).collect(Collectors.joining());
        final String delete;
        if (uniqueKey.size() == 1) {
            delete = "delete from " + target.render() + "\n    where (" + uniqueKey.get(0) + ") in (\n        select "
                    + uniqueKey.get(0) + "\n        from " + source.render() + "\n    )" + predicates;
        } else {
            final String matches = uniqueKey.stream()
                    .map(k -> target.render() + "." + k + " = " + source.render() + "." + k)
                    .collect(Collectors.joining("\n            and "));
            delete = "delete from " + target.render() + "\n    where exists (\n        select 1\n        from "
                    + source.render() + "\n        where\n            " + matches + "\n    )" + predicates;
        }
        return List.of(delete, insertFrom(target, source, destColumns));
    }
}
