package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Column;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * GP's unit test materialization: learn the model's output types from an empty {@code <model>__dbt_tmp} table,
 * cast the expected rows to them, and compare with the model run on its fixtures (both ways, {@code except all}).
 */
public final class UnitTestExecution {
    private UnitTestExecution() {
    }

    /** The fixture CTE of one input: its rows cast to the input relation's column types. */
    public static String fixture(final List<Column> columns, final List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return "select " + columns.stream().map(c -> "cast(null as " + c.dataType() + ") as " + c.quoted())
                    .collect(Collectors.joining(", ")) + " where false";
        }
        return rows.stream().map(row -> "select " + columns.stream().map(c -> "cast(" + SqlLiterals.of(value(row, c.name()))
                + " as " + c.dataType() + ") as " + c.quoted()).collect(Collectors.joining(", ")))
                .collect(Collectors.joining("\nunion all\n"));
    }

    private static Object value(final Map<String, Object> row, final String column) {
        return row.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(column)).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }

    public static TestExecution.Outcome run(final Warehouse warehouse, final ModelJob job,
                                            final List<Map<String, Object>> expected) {
        final Relation tmp = job.target().withSuffix(TableMaterialization.TMP).withType(Relation.Type.TABLE);
        warehouse.dropIfPresent(tmp);
        warehouse.run(Ddl.createTableAs(tmp, "select * from (\n" + job.sql() + "\n) as __dbt_sbq where false limit 0",
                Map.of(), null, Ddl.CreateMode.CREATE));
        final List<Column> outputs = warehouse.columns(tmp);
        warehouse.run(Ddl.drop(tmp));
        final List<Column> compared = new ArrayList<>();
        final List<String> names = expected.isEmpty() ? outputs.stream().map(Column::name).toList()
                : new ArrayList<>(expected.get(0).keySet());
        for (final String name : names) {
            compared.add(outputs.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(job.uniqueId() + ": expected column '" + name
                            + "' is not an output of the model (outputs: "
                            + outputs.stream().map(Column::name).toList() + ")")));
        }
        final String columns = compared.stream().map(Column::quoted).collect(Collectors.joining(", "));
        final List<List<Object>> diff = warehouse.query("with dbt_internal_unit_test_actual as (\n    select " + columns
                + " from (\n" + job.sql() + "\n    ) _dbt_internal_unit_test_actual\n),\n"
                + "dbt_internal_unit_test_expected as (\n" + fixture(compared, expected) + "\n)\n"
                + "select 'missing' as diff, * from (select * from dbt_internal_unit_test_expected"
                + " except all select * from dbt_internal_unit_test_actual)\n"
                + "union all\n"
                + "select 'unexpected' as diff, * from (select * from dbt_internal_unit_test_actual"
                + " except all select * from dbt_internal_unit_test_expected)");
        final Adapter.Response response = new Adapter.Response("SELECT", diff.size(), "");
        if (diff.isEmpty()) {
            return new TestExecution.Outcome("pass", 0, null, response);
        }
        final String rows = diff.stream().limit(10).map(row -> row.get(0) + " " + row.subList(1, row.size()))
                .collect(Collectors.joining("; "));
        return new TestExecution.Outcome("fail", diff.size(), "actual differs from expected in " + diff.size()
                + " row" + (diff.size() == 1 ? "" : "s") + " (columns " + names + "): " + rows, response);
    }
}
