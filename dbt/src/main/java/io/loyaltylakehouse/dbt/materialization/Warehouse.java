package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Column;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The adapter as one node's materialization sees it: every DDL/DML statement it sends is recorded, in order. */
public final class Warehouse {
    private final Adapter adapter;
    private final String queryComment;
    private final List<String> executed = new ArrayList<>();

    public Warehouse(final Adapter adapter) {
        this(adapter, "");
    }

    /**
     * @param queryComment dbt's leading {@code /* {"app": "dbt", …, "node_id": …} *&#47;}, so Trino's query history
     *                     shows which node sent a statement; not part of the recorded statement
     */
    public Warehouse(final Adapter adapter, final String queryComment) {
        this.adapter = adapter;
        this.queryComment = queryComment.isEmpty() ? "" : queryComment + "\n";
    }

    public Adapter.Response run(final String sql) {
        executed.add(sql);
        return adapter.execute(queryComment + sql);
    }

    public Adapter.Response run(final String sql, final List<Object> bindings) {
        executed.add(sql);
        return adapter.execute(queryComment + sql, bindings);
    }

    /** Runs a query the node's result depends on (a test's count), recorded like a statement. */
    public List<List<Object>> query(final String sql) {
        executed.add(sql);
        return adapter.query(queryComment + sql);
    }

    public Optional<Relation> lookup(final Relation relation) {
        return adapter.lookup(relation);
    }

    public List<Column> columns(final Relation relation) {
        return adapter.columns(relation);
    }

    public List<Column> queryColumns(final String sql) {
        return adapter.queryColumns(sql);
    }

    /** dbt's {@code drop_relation_if_exists(load_cached_relation(r))}: drops only what is there. */
    public void dropIfPresent(final Relation relation) {
        adapter.lookup(relation).ifPresent(existing -> run(Ddl.drop(existing)));
    }

    /** Statements sent so far, for target/run and the statement-sequence tests. */
    public List<String> executed() {
        return List.copyOf(executed);
    }
}
