package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Column;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * dbt's snapshot (GP {@code snapshots/*.sql} with dbt-trino's merge): the first run creates the table with the
 * SCD2 columns; later runs build {@code snap__dbt_tmp} from insertions/updates/deletes CTEs, add missing columns,
 * merge on {@code dbt_scd_id} and drop the staging table. Every value (hashes, times) is computed by Trino.
 */
public final class SnapshotMaterialization {

    private SnapshotMaterialization() {
    }

    /** Snapshot meta column names after {@code snapshot_meta_column_names}. */
    record Names(String validFrom, String validTo, String scdId, String updatedAt, String isDeleted) {
        static Names of(final ModelJob job) {
            final var custom = job.map("snapshot_meta_column_names");
            return new Names(
                    String.valueOf(custom.getOrDefault("dbt_valid_from", "dbt_valid_from")),
                    String.valueOf(custom.getOrDefault("dbt_valid_to", "dbt_valid_to")),
                    String.valueOf(custom.getOrDefault("dbt_scd_id", "dbt_scd_id")),
                    String.valueOf(custom.getOrDefault("dbt_updated_at", "dbt_updated_at")),
                    String.valueOf(custom.getOrDefault("dbt_is_deleted", "dbt_is_deleted")));
        }
    }

    /** The strategy dict of GP {@code snapshot_timestamp_strategy}/{@code snapshot_check_strategy}. */
    record Strategy(List<String> uniqueKey, boolean listKey, String updatedAt, String rowChanged, String scdId,
                    String hardDeletes) {
    }

    public static Adapter.Response run(final Warehouse warehouse, final ModelJob job, final String now) {
        final Relation target = job.target().withType(Relation.Type.TABLE);
        final Optional<Relation> existing = warehouse.lookup(target);
        final Names names = Names.of(job);
        final Strategy strategy = strategy(warehouse, job, names, existing.isPresent(), now);
        job.runHooks(warehouse, job.preHooks());
        final Adapter.Response response;
        if (existing.isEmpty()) {
            response = warehouse.run(Ddl.createTableAs(target, buildSnapshotTable(job, strategy, names), job.map("properties"),
                    null, Ddl.CreateMode.CREATE));
        } else {
            final Relation staging = target.withSuffix(TableMaterialization.TMP);
            final List<String> sourceColumns = "new_record".equals(strategy.hardDeletes())
                    ? warehouse.queryColumns(job.sql()).stream().map(Column::name).toList() : List.of();
            final List<String> snapshotted = warehouse.columns(target).stream().map(Column::name).toList();
            warehouse.run(Ddl.createTableAs(staging, stagingTable(job, strategy, names, now, sourceColumns, snapshotted),
                    job.map("properties"), null, Ddl.CreateMode.CREATE));
            final Set<String> remove = new HashSet<>(List.of("dbt_change_type", "dbt_unique_key"));
            for (int i = 1; i <= strategy.uniqueKey().size(); i++) {
                remove.add("dbt_unique_key_" + i);
            }
            final List<Column> stagingColumns = warehouse.columns(staging).stream()
                    .filter(c -> !remove.contains(c.name().toLowerCase(Locale.ROOT))).toList();
            final Set<String> targetNames = snapshotted.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
            stagingColumns.stream().filter(c -> !targetNames.contains(c.name().toLowerCase(Locale.ROOT)))
                    .forEach(c -> warehouse.run(Ddl.addColumn(target, c)));
            response = warehouse.run(merge(target, staging, stagingColumns, names, job.string("dbt_valid_to_current", null)));
            warehouse.run("drop table " + staging.render());
        }
        job.runHooks(warehouse, job.postHooks());
        return response;
    }

    static String hardDeletes(final ModelJob job) {
        if (job.config().get("hard_deletes") != null) {
            return job.string("hard_deletes", "ignore");
        }
        return job.flag("invalidate_hard_deletes", false) ? "invalidate" : "ignore";
    }

    static Strategy strategy(final Warehouse warehouse, final ModelJob job, final Names names, final boolean targetExists,
                             final String now) {
        final List<String> key = job.strings("unique_key");
        final boolean listKey = job.isList("unique_key");
        final String hardDeletes = hardDeletes(job);
        if ("timestamp".equals(job.string("strategy", ""))) {
            final String updatedAt = job.string("updated_at", null);
            final String rowChanged = "(snapshotted_data." + names.validFrom() + " < source_data." + updatedAt + ")";
            return new Strategy(key, listKey, updatedAt, rowChanged, hash(scdArgs(key, updatedAt)), hardDeletes);
        }
        final String updatedAt = job.string("updated_at", now);
        boolean columnAdded = false;
        List<String> checkCols = job.strings("check_cols");
        if (!job.isList("check_cols") && "all".equals(job.string("check_cols", ""))) {
            final List<String> queryColumns = warehouse.queryColumns(job.sql()).stream().map(Column::name).toList();
            if (targetExists) {
                final Set<String> existing = warehouse.columns(job.target()).stream()
                        .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
                columnAdded = queryColumns.stream().anyMatch(c -> !existing.contains(c.toLowerCase(Locale.ROOT)));
                checkCols = queryColumns.stream().filter(c -> existing.contains(c.toLowerCase(Locale.ROOT))).toList();
            } else {
                checkCols = queryColumns;
            }
        }
        final String rowChanged = columnAdded ? "(TRUE)" : "(" + checkCols.stream().map(col ->
                "snapshotted_data." + col + " != source_data." + col + "\n        or\n        (\n"
                        + "            ((snapshotted_data." + col + " is null) and not (source_data." + col + " is null))\n"
                        + "            or\n"
                        + "            ((not snapshotted_data." + col + " is null) and (source_data." + col + " is null))\n"
                        + "        )").collect(Collectors.joining(" or ")) + ")";
        return new Strategy(key, listKey, updatedAt, rowChanged, hash(scdArgs(key, updatedAt)), hardDeletes);
    }

    private static List<String> scdArgs(final List<String> key, final String updatedAt) {
        final List<String> args = new ArrayList<>(key);
        args.add(updatedAt);
        return args;
    }

    /** dbt-trino's {@code snapshot_hash_arguments}. */
    static String hash(final List<String> args) {
        return "lower(to_hex(md5(to_utf8(concat(" + args.stream().map(a -> "coalesce(cast(" + a + " as varchar), '')")
                .collect(Collectors.joining(", '|',")) + ")))))";
    }

    private static String validToCurrent(final ModelJob job, final Strategy strategy, final Names names) {
        final String current = job.string("dbt_valid_to_current", "null");
        return "coalesce(nullif(" + strategy.updatedAt() + ", " + strategy.updatedAt() + "), " + current + ") as "
                + names.validTo();
    }

    /** GP {@code build_snapshot_table}: the first run's select. */
    static String buildSnapshotTable(final ModelJob job, final Strategy strategy, final Names names) {
        return "    select *,\n"
                + "        " + strategy.scdId() + " as " + names.scdId() + ",\n"
                + "        " + strategy.updatedAt() + " as " + names.updatedAt() + ",\n"
                + "        " + strategy.updatedAt() + " as " + names.validFrom() + ",\n"
                + "        " + validToCurrent(job, strategy, names)
                + ("new_record".equals(strategy.hardDeletes()) ? ", 'False' as " + names.isDeleted() : "") + "\n"
                + "    from (\n" + job.sql() + "\n    ) sbq\n";
    }

    private static String keyFields(final Strategy s) {
        if (!s.listKey()) {
            return s.uniqueKey().get(0) + " as dbt_unique_key";
        }
        final List<String> parts = new ArrayList<>();
        for (int i = 0; i < s.uniqueKey().size(); i++) {
            parts.add(s.uniqueKey().get(i) + " as dbt_unique_key_" + (i + 1));
        }
        return String.join(", ", parts);
    }

    private static String joinOn(final Strategy s, final String left, final String right) {
        if (!s.listKey()) {
            return left + ".dbt_unique_key = " + right + ".dbt_unique_key";
        }
        final List<String> parts = new ArrayList<>();
        for (int i = 1; i <= s.uniqueKey().size(); i++) {
            parts.add(left + ".dbt_unique_key_" + i + " = " + right + ".dbt_unique_key_" + i);
        }
        return String.join(" and ", parts);
    }

    private static String keyNull(final Strategy s, final String alias, final boolean isNull) {
        return alias + (s.listKey() ? ".dbt_unique_key_1" : ".dbt_unique_key") + (isNull ? " is null" : " is not null");
    }

    /** GP {@code snapshot_staging_table}. */
    static String stagingTable(final ModelJob job, final Strategy s, final Names n, final String now,
                               final List<String> sourceColumns, final List<String> snapshottedColumns) {
        final boolean deletes = "invalidate".equals(s.hardDeletes()) || "new_record".equals(s.hardDeletes());
        final boolean newRecord = "new_record".equals(s.hardDeletes());
        final String validToCurrent = job.string("dbt_valid_to_current", null);
        final String currentFilter = validToCurrent == null ? n.validTo() + " is null"
                : "( " + n.validTo() + " = " + validToCurrent + " or " + n.validTo() + " is null )";
        final String isCurrentDeleted = "snapshotted_data." + n.isDeleted() + " = 'True'\n                and\n                "
                + (validToCurrent == null ? "snapshotted_data." + n.validTo() + " is null"
                : "snapshotted_data." + n.validTo() + " = " + validToCurrent);
        final String deletedAgain = newRecord ? " or snapshotted_data." + n.isDeleted() + " = 'True'" : "";
        final StringBuilder sql = new StringBuilder();
        sql.append("    with snapshot_query as (\n\n").append(job.sql()).append("\n\n    ),\n\n")
                .append("    snapshotted_data as (\n\n        select *, ").append(keyFields(s)).append("\n        from ")
                .append(job.target().render()).append("\n        where\n            ").append(currentFilter).append("\n\n    ),\n\n")
                .append("    insertions_source_data as (\n\n        select *, ").append(keyFields(s)).append(",\n")
                .append("            ").append(s.updatedAt()).append(" as ").append(n.updatedAt()).append(",\n")
                .append("            ").append(s.updatedAt()).append(" as ").append(n.validFrom()).append(",\n")
                .append("            ").append(validToCurrent(job, s, n)).append(",\n")
                .append("            ").append(s.scdId()).append(" as ").append(n.scdId()).append("\n\n")
                .append("        from snapshot_query\n    ),\n\n")
                .append("    updates_source_data as (\n\n        select *, ").append(keyFields(s)).append(",\n")
                .append("            ").append(s.updatedAt()).append(" as ").append(n.updatedAt()).append(",\n")
                .append("            ").append(s.updatedAt()).append(" as ").append(n.validFrom()).append(",\n")
                .append("            ").append(s.updatedAt()).append(" as ").append(n.validTo()).append("\n\n")
                .append("        from snapshot_query\n    ),\n\n");
        if (deletes) {
            sql.append("    deletes_source_data as (\n\n        select *, ").append(keyFields(s))
                    .append("\n        from snapshot_query\n    ),\n\n");
        }
        sql.append("    insertions as (\n\n        select\n            'insert' as dbt_change_type,\n            source_data.*")
                .append(newRecord ? ",'False' as " + n.isDeleted() : "").append("\n\n")
                .append("        from insertions_source_data as source_data\n        left outer join snapshotted_data\n")
                .append("            on ").append(joinOn(s, "snapshotted_data", "source_data")).append("\n")
                .append("            where ").append(keyNull(s, "snapshotted_data", true)).append("\n")
                .append("            or (").append(keyNull(s, "snapshotted_data", false)).append(" and (\n               ")
                .append(s.rowChanged()).append(deletedAgain).append("\n            )\n\n        )\n\n    ),\n\n")
                .append("    updates as (\n\n        select\n            'update' as dbt_change_type,\n            source_data.*,\n")
                .append("            snapshotted_data.").append(n.scdId())
                .append(newRecord ? ", snapshotted_data." + n.isDeleted() : "").append("\n\n")
                .append("        from updates_source_data as source_data\n        join snapshotted_data\n")
                .append("            on ").append(joinOn(s, "snapshotted_data", "source_data")).append("\n")
                .append("        where (\n            ").append(s.rowChanged()).append(deletedAgain).append("\n        )\n    )");
        if (deletes) {
            sql.append(",\n\n    deletes as (\n\n        select\n            'delete' as dbt_change_type,\n            source_data.*,\n")
                    .append("            ").append(now).append(" as ").append(n.validFrom()).append(",\n")
                    .append("            ").append(now).append(" as ").append(n.updatedAt()).append(",\n")
                    .append("            ").append(now).append(" as ").append(n.validTo()).append(",\n")
                    .append("            snapshotted_data.").append(n.scdId())
                    .append(newRecord ? ", snapshotted_data." + n.isDeleted() : "").append("\n")
                    .append("        from snapshotted_data\n        left join deletes_source_data as source_data\n")
                    .append("            on ").append(joinOn(s, "snapshotted_data", "source_data")).append("\n")
                    .append("            where ").append(keyNull(s, "source_data", true));
            if (newRecord) {
                sql.append("\n            and not (\n                ").append(isCurrentDeleted).append("\n            )");
            }
            sql.append("\n    )");
        }
        if (newRecord) {
            sql.append(",\n\n    deletion_records as (\n\n        select\n            'insert' as dbt_change_type,\n");
            final Set<String> snapshotted = snapshottedColumns.stream().map(c -> c.toLowerCase(Locale.ROOT))
                    .collect(Collectors.toSet());
            for (final String column : sourceColumns) {
                sql.append(snapshotted.contains(column.toLowerCase(Locale.ROOT))
                        ? "            snapshotted_data." + Relation.quote(column) + ",\n"
                        : "            NULL as " + Relation.quote(column) + ",\n");
            }
            if (s.listKey()) {
                for (int i = 0; i < s.uniqueKey().size(); i++) {
                    sql.append("            snapshotted_data.").append(s.uniqueKey().get(i)).append(" as dbt_unique_key_")
                            .append(i + 1).append(",\n");
                }
            } else {
                sql.append("            snapshotted_data.dbt_unique_key as dbt_unique_key,\n");
            }
            sql.append("            ").append(now).append(" as ").append(n.validFrom()).append(",\n")
                    .append("            ").append(now).append(" as ").append(n.updatedAt()).append(",\n")
                    .append("            snapshotted_data.").append(n.validTo()).append(" as ").append(n.validTo()).append(",\n")
                    .append("            ").append(hash(List.of(n.scdId(), now))).append(" as ").append(n.scdId()).append(",\n")
                    .append("            'True' as ").append(n.isDeleted()).append("\n")
                    .append("        from snapshotted_data\n        left join deletes_source_data as source_data\n")
                    .append("            on ").append(joinOn(s, "snapshotted_data", "source_data")).append("\n")
                    .append("        where ").append(keyNull(s, "source_data", true)).append("\n")
                    .append("        and not (\n            ").append(isCurrentDeleted).append("\n            )\n\n    )");
        }
        sql.append("\n\n    select * from insertions\n    union all\n    select * from updates");
        if (deletes) {
            sql.append("\n    union all\n    select * from deletes");
        }
        if (newRecord) {
            sql.append("\n    union all\n    select * from deletion_records");
        }
        return sql.append('\n').toString();
    }

    /** dbt-trino's {@code snapshot_merge_sql}. */
    static String merge(final Relation target, final Relation staging, final List<Column> insertColumns, final Names n,
                        final String validToCurrent) {
        final String columns = insertColumns.stream().map(Column::quoted).collect(Collectors.joining(", "));
        final String values = insertColumns.stream().map(c -> "DBT_INTERNAL_SOURCE." + c.quoted())
                .collect(Collectors.joining(", "));
        return "merge into " + target.render() + " as DBT_INTERNAL_DEST\n"
                + "    using " + staging.render() + " as DBT_INTERNAL_SOURCE\n"
                + "    on DBT_INTERNAL_SOURCE." + n.scdId() + " = DBT_INTERNAL_DEST." + n.scdId() + "\n"
                + "    when matched\n"
                + (validToCurrent == null ? "     and DBT_INTERNAL_DEST." + n.validTo() + " is null\n"
                : "     and (DBT_INTERNAL_DEST." + n.validTo() + " = " + validToCurrent + " or DBT_INTERNAL_DEST."
                        + n.validTo() + " is null)\n")
                + "     and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')\n"
                + "        then update\n        set " + n.validTo() + " = DBT_INTERNAL_SOURCE." + n.validTo() + "\n"
                + "    when not matched\n"
                + "     and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'\n"
                + "        then insert (" + columns + ")\n        values (" + values + ")";
    }
}
