package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Column;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * dbt-trino's incremental materialization: first build or full refresh = table logic; otherwise the model's
 * SQL becomes {@code t__dbt_tmp} (a view, or a table for delete+insert with a key), schema changes are handled per
 * {@code on_schema_change}, the strategy statement runs, and the temp relation is dropped.
 */
public final class IncrementalMaterialization {
    private static final Set<String> ON_SCHEMA_CHANGE = Set.of("ignore", "fail", "append_new_columns", "sync_all_columns");

    private IncrementalMaterialization() {
    }

    public static Adapter.Response run(final Warehouse warehouse, final ModelJob job, final String description) {
        final String strategy = job.string("incremental_strategy", "default");
        final List<String> uniqueKey = job.strings("unique_key");
        final String onSchemaChange = job.string("on_schema_change", "ignore");
        if (!ON_SCHEMA_CHANGE.contains(onSchemaChange)) {
            throw new IllegalArgumentException(job.uniqueId() + ": on_schema_change must be one of " + ON_SCHEMA_CHANGE
                    + ", got " + onSchemaChange);
        }
        final Relation target = job.target().withType(Relation.Type.TABLE);
        final Optional<Relation> existing = warehouse.lookup(target);
        warehouse.dropIfPresent(target.withSuffix(TableMaterialization.TMP));
        warehouse.dropIfPresent(target.withSuffix(TableMaterialization.BACKUP));
        final boolean tmpIsTable = !uniqueKey.isEmpty() && "delete+insert".equals(strategy)
                || !job.flag("views_enabled", true);
        final Relation tmp = target.withSuffix(TableMaterialization.TMP)
                .withType(tmpIsTable ? Relation.Type.TABLE : Relation.Type.VIEW);

        job.runHooks(warehouse, job.preHooks());
        final Adapter.Response response;
        if (existing.isEmpty()) {
            response = warehouse.run(Ddl.createTableAs(target, job.sql(), job.map("properties"),
                    job.relationComment(description), Ddl.CreateMode.CREATE));
        } else if (existing.get().isView()) {
            warehouse.run(Ddl.drop(existing.get()));
            response = warehouse.run(Ddl.createTableAs(target, job.sql(), job.map("properties"),
                    job.relationComment(description), Ddl.CreateMode.CREATE));
        } else if (job.fullRefresh()) {
            response = TableMaterialization.build(warehouse, job, existing, description);
        } else {
            if (tmpIsTable) {
                warehouse.run(Ddl.createTableAs(tmp, job.sql(), job.map("properties"), null, Ddl.CreateMode.CREATE));
            } else {
                warehouse.run(Ddl.createView(tmp, job.sql(), job.string("view_security", "definer")));
            }
            final List<Column> destColumns = processSchemaChanges(warehouse, job, onSchemaChange, tmp, target);
            response = runStrategy(warehouse, job, strategy, uniqueKey, target, tmp, destColumns);
        }
        warehouse.run(Ddl.drop(tmp));
        job.runHooks(warehouse, job.postHooks());
        return response;
    }

    private static Adapter.Response runStrategy(final Warehouse warehouse, final ModelJob job, final String strategy,
                                                final List<String> uniqueKey, final Relation target, final Relation tmp,
                                                final List<Column> destColumns) {
        final List<String> predicates = new ArrayList<>(job.strings("incremental_predicates"));
        predicates.addAll(job.strings("predicates"));
        if (uniqueKey.isEmpty() || "append".equals(strategy) || "default".equals(strategy)) {
            return warehouse.run(Ddl.insertFrom(target, tmp, destColumns));
        }
        if ("merge".equals(strategy)) {
            return warehouse.run(Ddl.merge(target, tmp, uniqueKey, destColumns, updateColumns(job, destColumns), predicates));
        }
        Adapter.Response last = Adapter.Response.NONE;
        for (final String statement : Ddl.deleteInsert(target, tmp, uniqueKey, destColumns, predicates)) {
            last = warehouse.run(statement);
        }
        return last;
    }

    /** All destination columns, or {@code merge_update_columns}, or all minus {@code merge_exclude_columns}; quoted. */
    static List<String> updateColumns(final ModelJob job, final List<Column> destColumns) {
        final List<String> include = job.strings("merge_update_columns");
        final Set<String> exclude = job.strings("merge_exclude_columns").stream()
                .map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        if (!include.isEmpty()) {
            return include.stream().map(Relation::quote).toList();
        }
        return destColumns.stream().filter(c -> !exclude.contains(c.name().toLowerCase(Locale.ROOT)))
                .map(Column::quoted).toList();
    }

    /** GP {@code process_schema_changes}: the column list of the insert/merge, after any ALTERs. */
    static List<Column> processSchemaChanges(final Warehouse warehouse, final ModelJob job, final String onSchemaChange,
                                             final Relation tmp, final Relation target) {
        final List<Column> targetColumns = warehouse.columns(target);
        if ("ignore".equals(onSchemaChange)) {
            return targetColumns;
        }
        final List<Column> sourceColumns = warehouse.columns(tmp);
        final List<Column> added = missingFrom(sourceColumns, targetColumns);
        final List<Column> removed = missingFrom(targetColumns, sourceColumns);
        final List<Column> retyped = sourceColumns.stream().filter(s -> targetColumns.stream().anyMatch(t ->
                t.name().equalsIgnoreCase(s.name()) && !t.dataType().equalsIgnoreCase(s.dataType()))).toList();
        final boolean changed = !added.isEmpty() || !removed.isEmpty() || !retyped.isEmpty();
        if (changed && "fail".equals(onSchemaChange)) {
            throw new IllegalStateException("The source and target schemas on this incremental model are out of sync!"
                    + " added: " + names(added) + ", removed: " + names(removed) + ", type changes: " + names(retyped)
                    + ". on_schema_change is 'fail' for " + job.uniqueId() + "; run with --full-refresh or change it.");
        }
        if (changed) {
            added.forEach(column -> warehouse.run(Ddl.addColumn(target, column)));
            if ("sync_all_columns".equals(onSchemaChange)) {
                removed.forEach(column -> warehouse.run(Ddl.dropColumn(target, column)));
                retyped.forEach(column -> retype(warehouse, target, column));
            }
        }
        return sourceColumns;
    }

    /** GP {@code alter_column_type}: add a temp column, copy with a cast, drop the old one, rename. */
    private static void retype(final Warehouse warehouse, final Relation target, final Column column) {
        final Column temp = new Column(column.name() + "__dbt_alter", column.dataType());
        warehouse.run(Ddl.addColumn(target, temp));
        warehouse.run("update " + target.render() + " set " + temp.quoted() + " = cast(" + column.quoted() + " as "
                + column.dataType() + ")");
        warehouse.run(Ddl.dropColumn(target, column));
        warehouse.run("alter table " + target.render() + " rename column " + temp.quoted() + " to " + column.quoted());
    }

    private static List<Column> missingFrom(final List<Column> these, final List<Column> others) {
        return these.stream().filter(c -> others.stream().noneMatch(o -> o.name().equalsIgnoreCase(c.name()))).toList();
    }

    private static String names(final List<Column> columns) {
        return columns.stream().map(Column::name).toList().toString();
    }
}
