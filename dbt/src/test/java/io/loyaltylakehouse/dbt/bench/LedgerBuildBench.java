package io.loyaltylakehouse.dbt.bench;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.dbt.LoyaltySourceTables;
import io.loyaltylakehouse.dbt.adapter.TrinoAdapter;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import io.loyaltylakehouse.dbt.exec.Invocation;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * {@code dbt build} of the loyalty project with the JVM runner on a generated ledger of N rows (a private
 * schema, as loyalty_admin), then an incremental build after 1% new rows. Writes bench/results/dbt.md.
 * Usage: {@code LedgerBuildBench <repo dir> <rows>...} (rows a multiple of 1,000,000).
 */
public final class LedgerBuildBench {
    private LedgerBuildBench() {
    }

    public static void main(final String[] args) throws Exception {
        final Path repo = Path.of(args[0]).toAbsolutePath();
        final URI url = URI.create(Settings.load("dbt").require("trino.url"));
        final List<String> rows = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            rows.add(measure(repo, url, Long.parseLong(args[i])));
        }
        final String report = "# dbt build on the ledger (JVM runner)\n\n"
                + "Run " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " on " + Runtime.getRuntime().availableProcessors()
                + " cores against the test stack's single-node Trino 476 (Iceberg on the JDBC catalog, local files).\n"
                + "Each size gets its own schema with a generated `points_ledger` (N rows, 100,000 users), N/10 audit rows,\n"
                + "10,000 members; `dbt build` runs the whole loyalty project (9 models, 1 seed, 2 snapshots, 51 tests).\n"
                + "Then 1% new ledger rows are inserted and `dbt build` runs again: `fct_points_ledger` merges only\n"
                + "the new rows, the table marts and all tests still read everything.\n\n"
                + "| ledger rows | full build (s) | fct_points_ledger first build (s) | build after +1% (s) | fct_points_ledger merge (s) |\n"
                + "|---|---|---|---|---|\n" + String.join("\n", rows) + "\n\n"
                + "Figures vary with what else runs on the machine; read them as rough.\n";
        Files.writeString(repo.resolve("bench/results/dbt.md"), report);
        System.out.println(report);
    }

    private static String measure(final Path repo, final URI url, final long n) throws Exception {
        final String schema = "dbt_bench_" + UUID.randomUUID().toString().substring(0, 8);
        final Properties props = new Properties();
        props.setProperty("user", "loyalty_admin");
        try (Connection connection = DriverManager.getConnection("jdbc:trino://" + url.getHost() + ":" + url.getPort()
                + "/iceberg", props); Statement sql = connection.createStatement()) {
            final String s = "iceberg." + schema;
            sql.execute("create schema " + s);
            try {
                createSources(sql, s);
                insertLedger(sql, s, 0, n);
                sql.execute("insert into " + s + ".reconciliation_audit select business_key, points, points,"
                        + " element_at(array['REALTIME_ONLY','LEGACY_ONLY','MERGED_DUPLICATE','CONFLICT'], cast(length(business_key) % 4 + 1 as integer)),"
                        + " updated_at from " + s + ".points_ledger where points % 10 = 1");
                sql.execute("insert into " + s + ".members select m, 'u-' || cast(m as varchar), 'm' || cast(m as varchar) || '@example.com',"
                        + " 'Member ' || cast(m as varchar), 'GOLD', timestamp '2026-01-01 00:00:00 UTC' from unnest(sequence(1, 10000)) t(m)");
                final Path project = repo.resolve("dbt/project");
                final CommandRunner.Outcome full = dbt(url, schema, project, "build");
                insertLedger(sql, s, n, n / 100);
                final CommandRunner.Outcome incremental = dbt(url, schema, project, "build");
                return "| " + String.format("%,d", n) + " | " + seconds(full) + " | " + seconds(full, "model.loyalty.fct_points_ledger")
                        + " | " + seconds(incremental) + " | " + seconds(incremental, "model.loyalty.fct_points_ledger") + " |";
            } finally {
                for (final String table : List.of("points_ledger", "reconciliation_audit", "fraud_alerts", "late_events",
                        "members")) {
                    sql.execute("drop table if exists " + s + "." + table);
                }
                dropRest(connection, s);
            }
        }
    }

    private static void createSources(final Statement sql, final String s) throws SQLException {
        for (final String ddl : LoyaltySourceTables.ddl(s)) {
            sql.execute(ddl);
        }
    }

    /** {@code count} ledger rows numbered after {@code offset}: earns, every 10th a redemption, every 37th paused. */
    private static void insertLedger(final Statement sql, final String s, final long offset, final long count)
            throws SQLException {
        final long thousands = Math.max(1, count / 1000);
        final long blocks = Math.max(1, (thousands + 999) / 1000);
        final long perBlock = Math.min(1000, thousands);
        sql.execute("insert into " + s + ".points_ledger select 'k-' || cast(n as varchar), 'u-' || cast(n % 100000 as varchar),"
                + " case when n % 10 = 0 then -5 when n % 37 = 0 then 0 else n % 500 + 1 end,"
                + " case when n % 37 = 0 and n % 10 <> 0 then 100 else 0 end,"
                + " case when n % 37 = 0 and n % 10 <> 0 then 'PAUSED' else 'AWARDED' end,"
                + " case when n % 10 = 0 then 'REDEEM' else 'EARN' end,"
                + " case when n % 5 = 0 then 'realtime+legacy' else 'realtime' end, 'k-' || cast(n as varchar), cast(null as bigint),"
                + " timestamp '2026-01-01 00:00:00 UTC' + n * interval '1' second,"
                + " timestamp '2026-01-01 00:00:00 UTC' + n * interval '1' second"
                + " from (select " + offset + " + (a - 1) * 1000000 + (b - 1) * 1000 + c as n"
                + " from unnest(sequence(1, " + blocks + ")) t(a) cross join unnest(sequence(1, " + perBlock + ")) u(b)"
                + " cross join unnest(sequence(1, 1000)) v(c))");
    }

    private static void dropRest(final Connection connection, final String s) throws SQLException {
        final List<String[]> objects = new ArrayList<>();
        try (Statement query = connection.createStatement(); var rs = query.executeQuery(
                "select table_name, table_type from iceberg.information_schema.tables where table_schema = '"
                        + s.substring("iceberg.".length()) + "'")) {
            while (rs.next()) {
                objects.add(new String[] {rs.getString(1), rs.getString(2)});
            }
        }
        try (Statement drop = connection.createStatement()) {
            for (final String[] object : objects) {
                drop.execute("drop " + ("VIEW".equals(object[1]) ? "view" : "table") + " if exists " + s + ".\"" + object[0] + "\"");
            }
            drop.execute("drop schema if exists " + s);
        }
    }

    private static CommandRunner.Outcome dbt(final URI url, final String schema, final Path project, final String command) {
        final Map<String, String> env = Map.of("TRINO_HOST", url.getHost(), "TRINO_PORT", String.valueOf(url.getPort()),
                "DBT_TRINO_USER", "loyalty_admin", "DBT_SCHEMA", schema);
        final CommandRunner.Outcome outcome = new CommandRunner(TrinoAdapter::connect, env).run(Invocation.parse(command,
                "--project-dir", project.toString(), "--profiles-dir", project.toString(), "--vars",
                "{loyalty_schema: " + schema + "}"));
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("dbt " + command + " failed on " + schema + ": " + outcome.results().stream()
                    .filter(r -> !"success".equals(r.status()) && !"pass".equals(r.status())).map(r -> r.uniqueId() + " "
                            + r.status() + " " + r.message()).toList());
        }
        return outcome;
    }

    private static String seconds(final CommandRunner.Outcome outcome) {
        final Instant start = outcome.results().get(0).compileStarted();
        final Instant end = outcome.results().get(outcome.results().size() - 1).executeCompleted();
        return String.format("%.1f", (end.toEpochMilli() - start.toEpochMilli()) / 1000.0);
    }

    private static String seconds(final CommandRunner.Outcome outcome, final String node) {
        return outcome.results().stream().filter(r -> r.uniqueId().equals(node)).findFirst()
                .map(r -> String.format("%.1f", r.executionTime())).orElse("-");
    }
}
