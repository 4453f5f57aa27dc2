package io.loyaltylakehouse.dbt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyaltylakehouse.dbt.Fixtures;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import io.loyaltylakehouse.dbt.exec.NodeResult;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Models and tests against the real Trino: incremental merge across runs, --full-refresh, a failing test in build. */
class BuildIT {
    @TempDir
    Path dir;
    TrinoSchema schema;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        schema = TrinoSchema.create("build");
        schema.execute("create table iceberg." + schema.name() + ".raw_points (id integer, user_id varchar, points bigint,"
                + " updated_at timestamp(6) with time zone)");
        schema.execute("insert into iceberg." + schema.name() + ".raw_points values"
                + " (1, 'u-1', 100, timestamp '2024-01-01 00:00:00 UTC'),"
                + " (2, 'u-1', 50, timestamp '2024-01-01 00:00:00 UTC'),"
                + " (3, 'u-2', 70, timestamp '2024-01-01 00:00:00 UTC')");
        project = dir.resolve("build_it");
        Fixtures.write(project, "dbt_project.yml", TrinoSchema.project("build_it")
                + "models:\n  build_it:\n    +materialized: table\n");
        Fixtures.write(project, "profiles.yml", TrinoSchema.profiles("build_it"));
        Fixtures.write(project, "models/sources.yml", "sources:\n  - name: raw\n    schema: " + schema.name()
                + "\n    tables:\n      - name: raw_points\n");
        Fixtures.write(project, "models/points.sql", """
                {{ config(materialized='incremental', unique_key='id', incremental_strategy='merge') }}
                select id, user_id, points, updated_at from {{ source('raw', 'raw_points') }}
                {% if is_incremental() %}
                where updated_at > (select max(updated_at) from {{ this }})
                {% endif %}
                """);
        Fixtures.write(project, "models/balances.sql",
                "select user_id, sum(points) as balance from {{ ref('points') }} group by user_id\n");
        Fixtures.write(project, "models/schema.yml", """
                models:
                  - name: points
                    columns:
                      - name: id
                        data_tests: [unique, not_null]
                      - name: points
                        data_tests:
                          - accepted_values:
                              arguments:
                                values: [100, 50, 70, 60, 5]
                                quote: false
                  - name: balances
                    columns:
                      - name: user_id
                        data_tests: [unique]
                """);
    }

    @AfterEach
    void tearDown() throws Exception {
        schema.close();
    }

    private List<List<String>> points() throws Exception {
        return schema.rows("select cast(id as varchar), user_id, cast(points as varchar) from iceberg." + schema.name()
                + ".points order by id");
    }

    @Test
    void incrementalMergeUpdatesAndInsertsAcrossRunsAndFullRefreshRebuilds() throws Exception {
        assertThat(schema.dbt(project, "run").exitCode()).isZero();
        assertThat(points()).containsExactly(List.of("1", "u-1", "100"), List.of("2", "u-1", "50"), List.of("3", "u-2", "70"));

        schema.execute("update iceberg." + schema.name() + ".raw_points set points = 60,"
                + " updated_at = timestamp '2024-01-02 00:00:00 UTC' where id = 2");
        schema.execute("insert into iceberg." + schema.name() + ".raw_points values (4, 'u-3', 5, timestamp '2024-01-02 00:00:00 UTC')");
        schema.execute("delete from iceberg." + schema.name() + ".raw_points where id = 3");
        final CommandRunner.Outcome second = schema.dbt(project, "run");
        assertThat(second.exitCode()).isZero();
        assertThat(second.results().get(0).message()).isEqualTo("MERGE (2 rows)");
        // the merge updated 2 and inserted 4; the deleted 3 stays (incremental models only see new rows)
        assertThat(points()).containsExactly(List.of("1", "u-1", "100"), List.of("2", "u-1", "60"),
                List.of("3", "u-2", "70"), List.of("4", "u-3", "5"));
        assertThat(schema.rows("select user_id, cast(balance as varchar) from iceberg." + schema.name()
                + ".balances order by user_id")).containsExactly(List.of("u-1", "160"), List.of("u-2", "70"),
                List.of("u-3", "5"));

        assertThat(schema.dbt(project, "run", "--full-refresh", "--select", "points").exitCode()).isZero();
        assertThat(points()).containsExactly(List.of("1", "u-1", "100"), List.of("2", "u-1", "60"), List.of("4", "u-3", "5"));
        assertThat(schema.rows("select count(*) from iceberg.information_schema.tables where table_schema = '"
                + schema.name() + "' and table_name like '%__dbt_%'")).containsExactly(List.of("0"));
    }

    @Test
    void failingTestSkipsChildrenExitsOneAndRunResultsListEveryNode() throws Exception {
        schema.execute("insert into iceberg." + schema.name() + ".raw_points values (3, 'u-9', 999, timestamp '2024-01-01 00:00:00 UTC')");

        final CommandRunner.Outcome outcome = schema.dbt(project, "build");

        assertThat(outcome.exitCode()).isEqualTo(1);
        final Map<String, String> status = new HashMap<>();
        outcome.results().forEach(r -> status.put(r.uniqueId(), r.status()));
        assertThat(status).containsEntry("model.build_it.points", "success")
                .containsEntry("model.build_it.balances", "skipped");
        assertThat(status.entrySet().stream().filter(e -> e.getKey().startsWith("test.build_it.unique_points_id"))
                .findFirst().orElseThrow().getValue()).isEqualTo("fail");
        assertThat(status.entrySet().stream().filter(e -> e.getKey().startsWith("test.build_it.accepted_values_points"))
                .findFirst().orElseThrow().getValue()).isEqualTo("fail");
        assertThat(status.entrySet().stream().filter(e -> e.getKey().startsWith("test.build_it.unique_balances"))
                .findFirst().orElseThrow().getValue()).isEqualTo("skipped");
        assertThat(schema.rows("select count(*) from iceberg.information_schema.tables where table_schema = '"
                + schema.name() + "' and table_name = 'balances'")).containsExactly(List.of("0"));

        final JsonNode runResults = new ObjectMapper().readTree(outcome.targetDir().resolve("run_results.json").toFile());
        assertThat(runResults.get("results")).hasSize(6);
        assertThat(runResults.get("results").findValuesAsText("unique_id"))
                .containsExactlyInAnyOrderElementsOf(outcome.results().stream().map(NodeResult::uniqueId).toList());
        for (final JsonNode result : runResults.get("results")) {
            assertThat(result.fieldNames()).toIterable().contains("status", "timing", "thread_id", "execution_time",
                    "message", "adapter_response", "failures", "compiled_code", "relation_name");
        }
        final JsonNode failed = List.copyOf(runResults.get("results").findParents("failures")).stream()
                .filter(r -> "fail".equals(r.get("status").asText())).findFirst().orElseThrow();
        assertThat(failed.get("failures").asLong()).isPositive();
        assertThat(failed.get("message").asText()).startsWith("Got ").endsWith("configured to fail if != 0");
    }

    @Test
    void unitTestsRunBeforeTheirModelAndAWrongExpectationSkipsIt() throws Exception {
        assertThat(schema.dbt(project, "run", "--select", "points").exitCode()).isZero();
        final String unitTest = """
                unit_tests:
                  - name: balance_sums_points
                    model: balances
                    given:
                      - input: ref('points')
                        rows:
                          - {id: 1, user_id: u-1, points: 10}
                          - {id: 2, user_id: u-1, points: 5}
                          - {id: 3, user_id: u-2, points: 1}
                    expect:
                      rows:
                        - {user_id: u-1, balance: %d}
                        - {user_id: u-2, balance: 1}
                """;
        Fixtures.write(project, "models/unit_tests.yml", unitTest.formatted(15));
        final CommandRunner.Outcome passing = schema.dbt(project, "build", "--select", "balances");
        assertThat(passing.exitCode()).isZero();
        assertThat(passing.results().get(0).uniqueId()).isEqualTo("unit_test.build_it.balances.balance_sums_points");
        assertThat(passing.results().get(0).status()).isEqualTo("pass");

        Fixtures.write(project, "models/unit_tests.yml", unitTest.formatted(16));
        final CommandRunner.Outcome failing = schema.dbt(project, "build", "--select", "balances");
        assertThat(failing.exitCode()).isEqualTo(1);
        assertThat(failing.results().get(0).status()).isEqualTo("fail");
        assertThat(failing.results().get(0).message()).contains("differs from expected in 2 rows",
                "missing [u-1, 16]", "unexpected [u-1, 15]");
        assertThat(failing.results().get(1).status()).isEqualTo("skipped");
    }
}
