package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.project.Yamls;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The SQL of dbt's four built-in generic tests (GP {@code generic_test_sql/*.sql}); column names go in raw. */
public final class BuiltInTests {
    private BuiltInTests() {
    }

    /**
     * @param model the tested relation, or {@code (select * from rel where …) dbt_subquery} with a {@code where} config
     * @param to    the rendered {@code to:} relation of a relationships test
     */
    public static String sql(final String test, final String model, final Map<String, Object> args, final String to,
                             final boolean storeFailures) {
        final String column = String.valueOf(args.get("column_name"));
        return switch (test) {
            case "unique" -> "\nselect\n    " + column + " as unique_field,\n    count(*) as n_records\n\nfrom " + model
                    + "\nwhere " + column + " is not null\ngroup by " + column + "\nhaving count(*) > 1\n";
            case "not_null" -> "\nselect " + (storeFailures ? "*" : column) + "\nfrom " + model + "\nwhere " + column
                    + " is null\n";
            case "accepted_values" -> acceptedValues(model, column, args);
            case "relationships" -> "\nwith child as (\n    select " + column + " as from_field\n    from " + model
                    + "\n    where " + column + " is not null\n),\n\nparent as (\n    select " + args.get("field")
                    + " as to_field\n    from " + to + "\n)\n\nselect\n    from_field\n\nfrom child\nleft join parent\n"
                    + "    on child.from_field = parent.to_field\n\nwhere parent.to_field is null\n";
            default -> throw new IllegalArgumentException("not a built-in test: " + test);
        };
    }

    private static String acceptedValues(final String model, final String column, final Map<String, Object> args) {
        final boolean quote = args.get("quote") == null || Boolean.parseBoolean(String.valueOf(args.get("quote")));
        final List<String> values = Yamls.strings(args.get("values"));
        if (values.isEmpty()) {
            throw new IllegalArgumentException("accepted_values needs a non-empty 'values' list");
        }
        final String list = values.stream().map(v -> quote ? "'" + v.replace("'", "''") + "'" : v)
                .collect(Collectors.joining(","));
        return "\nwith all_values as (\n\n    select\n        " + column + " as value_field,\n        count(*) as n_records\n\n"
                + "    from " + model + "\n    group by " + column + "\n\n)\n\nselect *\nfrom all_values\nwhere value_field not in (\n    "
                + list + "\n)\n";
    }

    /** GP {@code get_test_sql}: the query the test materialization actually runs. */
    public static String wrapper(final String mainSql, final String failCalc, final String warnIf, final String errorIf,
                                 final Object limit) {
        return "\n    select\n      " + failCalc + " as failures,\n      " + failCalc + " " + warnIf + " as should_warn,\n      "
                + failCalc + " " + errorIf + " as should_error\n    from (\n      " + mainSql + "\n      "
                + (limit == null ? "" : "limit " + limit) + "\n    ) dbt_internal_test";
    }
}
