package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.Optional;

/** dbt-trino's view: a table in the way is dropped, then {@code create or replace view … security definer}. */
public final class ViewMaterialization {
    private ViewMaterialization() {
    }

    public static Adapter.Response run(final Warehouse warehouse, final ModelJob job) {
        final Optional<Relation> existing = warehouse.lookup(job.target());
        job.runHooks(warehouse, job.preHooks());
        if (existing.isPresent() && existing.get().isTable()) {
            warehouse.run(Ddl.drop(existing.get()));
        }
        final Adapter.Response response = warehouse.run(Ddl.createView(job.target().withType(Relation.Type.VIEW),
                job.sql(), job.string("view_security", "definer")));
        job.runHooks(warehouse, job.postHooks());
        return response;
    }
}
