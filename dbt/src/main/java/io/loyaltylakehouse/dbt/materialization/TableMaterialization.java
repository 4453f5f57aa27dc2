package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.Optional;

/**
 * dbt-trino's table with {@code on_table_exists}: {@code rename} (default: build {@code t__dbt_tmp}, swap through
 * {@code t__dbt_backup}, drop the backup), {@code replace}, {@code drop} or {@code skip}.
 */
public final class TableMaterialization {
    static final String TMP = "__dbt_tmp";
    static final String BACKUP = "__dbt_backup";

    private TableMaterialization() {
    }

    public static Adapter.Response run(final Warehouse warehouse, final ModelJob job, final String description) {
        final Optional<Relation> existing = warehouse.lookup(job.target());
        final String onTableExists = onTableExists(job);
        if ("rename".equals(onTableExists)) {
            warehouse.dropIfPresent(job.target().withSuffix(TMP));
            warehouse.dropIfPresent(job.target().withSuffix(BACKUP));
        }
        job.runHooks(warehouse, job.preHooks());
        final Adapter.Response response = build(warehouse, job, existing, description);
        job.runHooks(warehouse, job.postHooks());
        return response;
    }

    static String onTableExists(final ModelJob job) {
        final String mode = job.string("on_table_exists", "rename");
        if (!java.util.Set.of("rename", "replace", "drop", "skip").contains(mode)) {
            throw new IllegalArgumentException(job.uniqueId() + ": on_table_exists must be rename, replace, drop or skip, got "
                    + mode);
        }
        return mode;
    }

    /** DT {@code on_table_exists_logic}; also the full-refresh path of incremental models. */
    static Adapter.Response build(final Warehouse warehouse, final ModelJob job, final Optional<Relation> existing,
                                  final String description) {
        final Relation target = job.target().withType(Relation.Type.TABLE);
        final String comment = job.relationComment(description);
        switch (onTableExists(job)) {
            case "rename" -> {
                if (existing.isEmpty()) {
                    return warehouse.run(Ddl.createTableAs(target, job.sql(), job.map("properties"), comment,
                            Ddl.CreateMode.CREATE));
                }
                final Relation intermediate = target.withSuffix(TMP);
                final Relation backup = target.withSuffix(BACKUP).withType(existing.get().type());
                final Adapter.Response response = warehouse.run(Ddl.createTableAs(intermediate, job.sql(),
                        job.map("properties"), comment, Ddl.CreateMode.CREATE));
                warehouse.run(Ddl.rename(existing.get(), backup));
                warehouse.run(Ddl.rename(intermediate, target));
                warehouse.run(Ddl.drop(backup));
                return response;
            }
            case "drop" -> {
                existing.ifPresent(relation -> warehouse.run(Ddl.drop(relation)));
                return warehouse.run(Ddl.createTableAs(target, job.sql(), job.map("properties"), comment,
                        Ddl.CreateMode.CREATE));
            }
            case "replace" -> {
                return warehouse.run(Ddl.createTableAs(target, job.sql(), job.map("properties"), comment,
                        Ddl.CreateMode.REPLACE));
            }
            default -> {
                return warehouse.run(Ddl.createTableAs(target, job.sql(), job.map("properties"), comment,
                        Ddl.CreateMode.SKIP));
            }
        }
    }
}
