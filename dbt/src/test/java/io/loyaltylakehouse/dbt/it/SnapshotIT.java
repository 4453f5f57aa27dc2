package io.loyaltylakehouse.dbt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.dbt.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots against the real Trino: the worked example of DBT-FACTS section 4, the check strategy, new_record. */
class SnapshotIT {
    @TempDir
    Path dir;
    TrinoSchema schema;

    @BeforeEach
    void setUp() throws Exception {
        schema = TrinoSchema.create("snap");
    }

    @AfterEach
    void tearDown() throws Exception {
        schema.close();
    }

    private Path project(final String snapshotConfig, final String sourceColumns) {
        final Path project = dir.resolve("snapshots_it");
        Fixtures.write(project, "dbt_project.yml", TrinoSchema.project("snapshots_it"));
        Fixtures.write(project, "profiles.yml", TrinoSchema.profiles("snapshots_it"));
        Fixtures.write(project, "models/sources.yml", "sources:\n  - name: raw\n    schema: " + schema.name()
                + "\n    tables:\n      - name: src\n");
        Fixtures.write(project, "snapshots/snap.sql", "{% snapshot snap %}\n{{ config(" + snapshotConfig + ") }}\n"
                + "select " + sourceColumns + " from {{ source('raw', 'src') }}\n{% endsnapshot %}\n");
        return project;
    }

    private List<List<String>> snapshotRows() throws Exception {
        return schema.rows("select cast(id as varchar), name, cast(updated_at as varchar), dbt_scd_id,"
                + " cast(dbt_updated_at as varchar), cast(dbt_valid_from as varchar), cast(dbt_valid_to as varchar)"
                + " from iceberg." + schema.name() + ".snap order by id, dbt_valid_from");
    }

    @Test
    void workedExampleTimestampStrategyWithInvalidate() throws Exception {
        schema.execute("create table iceberg." + schema.name() + ".src (id integer, name varchar, updated_at timestamp(6))");
        schema.execute("insert into iceberg." + schema.name() + ".src values (1, 'Ann', timestamp '2024-01-01 00:00:00'),"
                + " (2, 'Bob', timestamp '2024-01-01 00:00:00')");
        final Path project = project("unique_key='id', strategy='timestamp', updated_at='updated_at',"
                + " hard_deletes='invalidate'", "*");

        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();
        assertThat(snapshotRows()).containsExactly(
                Arrays.asList("1", "Ann", "2024-01-01 00:00:00.000000", "b2ac00d60fb95f4dd100b804c845ca64",
                        "2024-01-01 00:00:00.000000", "2024-01-01 00:00:00.000000", null),
                Arrays.asList("2", "Bob", "2024-01-01 00:00:00.000000", "a4210dfa2a2029422728991fe6f93ab3",
                        "2024-01-01 00:00:00.000000", "2024-01-01 00:00:00.000000", null));

        schema.execute("update iceberg." + schema.name() + ".src set name = 'Anne', updated_at = timestamp '2024-01-06 00:00:00'"
                + " where id = 1");
        schema.execute("delete from iceberg." + schema.name() + ".src where id = 2");
        final LocalDateTime before = LocalDateTime.now(ZoneOffset.UTC);
        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();

        final List<List<String>> rows = snapshotRows();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0)).containsExactly("1", "Ann", "2024-01-01 00:00:00.000000", "b2ac00d60fb95f4dd100b804c845ca64",
                "2024-01-01 00:00:00.000000", "2024-01-01 00:00:00.000000", "2024-01-06 00:00:00.000000");
        assertThat(rows.get(1)).containsExactly("1", "Anne", "2024-01-06 00:00:00.000000", "ed026fe387e71546e5a53f3c413743bd",
                "2024-01-06 00:00:00.000000", "2024-01-06 00:00:00.000000", null);
        assertThat(rows.get(2).subList(0, 6)).containsExactly("2", "Bob", "2024-01-01 00:00:00.000000",
                "a4210dfa2a2029422728991fe6f93ab3", "2024-01-01 00:00:00.000000", "2024-01-01 00:00:00.000000");
        // T2 = now() of the run, in the session zone (UTC)
        final LocalDateTime t2 = LocalDateTime.parse(rows.get(2).get(6), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        assertThat(Duration.between(before.minusSeconds(5), t2)).isPositive();
        assertThat(Duration.between(t2, LocalDateTime.now(ZoneOffset.UTC))).isPositive();

        // a third run with nothing changed touches nothing
        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();
        assertThat(snapshotRows()).isEqualTo(rows);
    }

    @Test
    void ignoreKeepsDeletedRowsCurrent() throws Exception {
        schema.execute("create table iceberg." + schema.name() + ".src (id integer, name varchar, updated_at timestamp(6))");
        schema.execute("insert into iceberg." + schema.name() + ".src values (1, 'Ann', timestamp '2024-01-01 00:00:00'),"
                + " (2, 'Bob', timestamp '2024-01-01 00:00:00')");
        final Path project = project("unique_key='id', strategy='timestamp', updated_at='updated_at'", "*");
        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();
        schema.execute("delete from iceberg." + schema.name() + ".src where id = 2");
        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();
        assertThat(snapshotRows()).extracting(row -> row.get(6)).containsExactly(null, null);
    }

    @Test
    void checkStrategyWithNewRecordHardDeletes() throws Exception {
        schema.execute("create table iceberg." + schema.name() + ".src (id integer, balance bigint)");
        schema.execute("insert into iceberg." + schema.name() + ".src values (1, 100), (2, 200)");
        final Path project = dir.resolve("check_it");
        Fixtures.write(project, "dbt_project.yml", TrinoSchema.project("check_it"));
        Fixtures.write(project, "profiles.yml", TrinoSchema.profiles("check_it"));
        Fixtures.write(project, "models/sources.yml", "sources:\n  - name: raw\n    schema: " + schema.name()
                + "\n    tables:\n      - name: src\n");
        Fixtures.write(project, "snapshots/balances.yml", "snapshots:\n  - name: balances\n    relation: source('raw', 'src')\n"
                + "    config:\n      unique_key: id\n      strategy: check\n      check_cols: ['balance']\n"
                + "      hard_deletes: new_record\n");
        final String query = "select cast(id as varchar), cast(balance as varchar), dbt_is_deleted,"
                + " cast(dbt_valid_to is null as varchar), cast(dbt_valid_from = dbt_updated_at as varchar)"
                + " from iceberg." + schema.name() + ".balances order by id, dbt_valid_from, dbt_is_deleted";

        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();
        assertThat(schema.rows(query)).containsExactly(
                List.of("1", "100", "False", "true", "true"),
                List.of("2", "200", "False", "true", "true"));

        schema.execute("update iceberg." + schema.name() + ".src set balance = 150 where id = 1");
        schema.execute("delete from iceberg." + schema.name() + ".src where id = 2");
        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();
        final List<List<String>> second = schema.rows(query);
        assertThat(second).containsExactly(
                List.of("1", "100", "False", "false", "true"),
                List.of("1", "150", "False", "true", "true"),
                List.of("2", "200", "False", "false", "true"),
                List.of("2", "200", "True", "true", "true"));
        // the check strategy's times come from the run, not the data: the closed rows end when the new ones start
        assertThat(schema.rows("select count(*) from iceberg." + schema.name() + ".balances a join iceberg."
                + schema.name() + ".balances b on a.id = b.id and a.dbt_valid_to = b.dbt_valid_from")).containsExactly(
                List.of("2"));

        assertThat(schema.dbt(project, "snapshot").exitCode()).isZero();
        assertThat(schema.rows(query)).isEqualTo(second);
    }
}
