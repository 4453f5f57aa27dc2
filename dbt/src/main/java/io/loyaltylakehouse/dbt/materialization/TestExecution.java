package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.List;
import java.util.Locale;

/**
 * GP's test materialization: optionally store failures in {@code <schema>_dbt_test__audit}, then run the
 * count wrapper and turn {@code failures/should_warn/should_error} into pass, warn or fail.
 */
public final class TestExecution {
    private TestExecution() {
    }

    /** A test's result: status pass|warn|fail, the failure count and dbt's message (null on pass). */
    public record Outcome(String status, long failures, String message, Adapter.Response response) {
    }

    public static Outcome run(final Warehouse warehouse, final ModelJob job, final boolean warnError) {
        String mainSql = job.sql();
        if (job.flag("store_failures", false)) {
            final Relation audit = job.target().withType(Relation.Type.TABLE);
            warehouse.dropIfPresent(audit);
            warehouse.run(Ddl.createTableAs(audit, job.sql(), java.util.Map.of(), null, Ddl.CreateMode.CREATE));
            mainSql = "select *\n    from " + audit.render();
        }
        final String warnIf = job.string("warn_if", "!= 0");
        final String errorIf = job.string("error_if", "!= 0");
        final List<List<Object>> rows = warehouse.query(BuiltInTests.wrapper(mainSql, job.string("fail_calc", "count(*)"),
                warnIf, errorIf, job.config().get("limit")));
        if (rows.size() != 1) {
            throw new IllegalStateException("the test query returned " + rows.size() + " rows, expected 1");
        }
        final long failures = rows.get(0).get(0) == null ? 0 : ((Number) rows.get(0).get(0)).longValue();
        final boolean shouldWarn = Boolean.TRUE.equals(rows.get(0).get(1));
        final boolean shouldError = Boolean.TRUE.equals(rows.get(0).get(2));
        final String severity = job.string("severity", "ERROR").toUpperCase(Locale.ROOT);
        final Adapter.Response response = new Adapter.Response("SELECT", 1, "");
        if ("ERROR".equals(severity) && shouldError) {
            return new Outcome("fail", failures, "Got " + failures + " result" + (failures == 1 ? "" : "s")
                    + ", configured to fail if " + errorIf, response);
        }
        if (shouldWarn) {
            final String message = "Got " + failures + " result" + (failures == 1 ? "" : "s") + ", configured to warn if "
                    + warnIf;
            return new Outcome(warnError ? "fail" : "warn", failures, message, response);
        }
        return new Outcome("pass", failures, null, response);
    }
}
