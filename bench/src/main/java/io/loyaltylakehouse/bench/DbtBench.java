package io.loyaltylakehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.trino.TrinoLogin;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code dbt build} of the loyalty project (dbt/project) with real dbt (dbt-core + dbt-trino of .cache/venv, started
 * as {@code dbt/bin/dbt build}, user {@code dbt}) on a generated ledger of N rows; then 1% new ledger rows and
 * {@code dbt build} again, where {@code fct_points_ledger} merges only the rows written since. The baseline, in the
 * same run: the heaviest model's compiled SQL as one plain CTAS through Trino JDBC, so dbt's own share shows. The
 * generated rows go into iceberg.loyalty itself and the models into iceberg.analytics, as in production, so the
 * benchmark needs a stack of its own (bench/run starts one) and empties both schemas after each size. It also
 * measures the resident memory of the bench stack's Dagster webserver and daemon (with their child processes).
 */
final class DbtBench {
    private static final int USERS = 100_000;
    private static final int HISTORY_DAYS = 90;
    private static final String FCT = "model.loyalty.fct_points_ledger";
    private static final int SLOWEST_NODES = 10;

    private final Settings settings;
    private final Path repoDir;
    private final List<Long> sizes;
    /** All event times fall before this instant; the +1% rows in the day before it, after the history. */
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    DbtBench(final Settings settings, final Path repoDir, final List<Long> sizes) {
        this.settings = settings;
        this.repoDir = repoDir;
        this.sizes = sizes;
    }

    /** One {@code dbt build}: wall time of the child process, its exit code and run_results.json. */
    record Build(double wallSeconds, int exitCode, JsonNode runResults) {
        List<JsonNode> nodes() {
            final List<JsonNode> nodes = new ArrayList<>();
            runResults.path("results").forEach(nodes::add);
            return nodes;
        }

        JsonNode node(final String uniqueId) {
            return nodes().stream()
                    .filter(n -> uniqueId.equals(n.path("unique_id").asText()))
                    .findFirst()
                    .orElse(Json.MAPPER.createObjectNode());
        }

        /** Wall time not spent inside a node's statements: JVM start, parsing, compiling, artifacts. */
        double overheadSeconds() {
            return wallSeconds
                    - nodes().stream()
                            .mapToDouble(n -> n.path("execution_time").asDouble())
                            .sum();
        }

        /** Nodes that neither succeeded nor passed, by status: {@code error: `x` (model)}. */
        String notOk() {
            final Map<String, List<String>> byStatus = new TreeMap<>();
            nodes().stream()
                    .filter(n -> !List.of("success", "pass")
                            .contains(n.path("status").asText()))
                    .forEach(n -> byStatus.computeIfAbsent(n.path("status").asText(), k -> new ArrayList<>())
                            .add(name(n.path("unique_id").asText())));
            return byStatus.isEmpty()
                    ? "none"
                    : byStatus.entrySet().stream()
                            .map(e -> e.getKey() + ": " + String.join(", ", e.getValue()))
                            .collect(Collectors.joining("; "));
        }

        /** Seconds of execution_time summed per resource type (model, snapshot, test, ...). */
        Map<String, Double> secondsByType() {
            final Map<String, Double> byType = new TreeMap<>();
            nodes().forEach(n -> byType.merge(
                    n.path("unique_id").asText().split("\\.")[0],
                    n.path("execution_time").asDouble(),
                    Double::sum));
            return byType;
        }
    }

    /** What one ledger size measured. */
    record SizeResult(
            long rows,
            double loadSeconds,
            Build full,
            String heaviestModel,
            double baselineSeconds,
            double incrementLoadSeconds,
            Build incremental,
            long fctRowsAfter) {}

    BenchReport run() throws Exception {
        final String loadBefore = loadAverage();
        final Map<String, Long> dagsterMemory = dagsterMemory();
        final Path work = Files.createTempDirectory("bench-dbt");
        final List<SizeResult> results = new ArrayList<>();
        try {
            for (final long rows : sizes) {
                results.add(measure(work, rows));
            }
        } finally {
            deleteTree(work);
        }
        return report(results, dagsterMemory, loadBefore, loadAverage());
    }

    private SizeResult measure(final Path work, final long rows) throws Exception {
        final String sources = "loyalty";
        final String models = "analytics";
        try (Connection trino = trino();
                Statement sql = trino.createStatement()) {
            try {
                empty(sql);
                final Instant historyEnd = now.minus(Duration.ofDays(1)).minus(Duration.ofHours(1));
                final double load = timed(() -> insertRows(
                        sql, sources, 0, rows, historyEnd.minus(Duration.ofDays(HISTORY_DAYS)), HISTORY_DAYS, true));
                System.out.printf("dbt bench: %,d ledger rows loaded in %.1f s%n", rows, load);
                final Build full = dbtBuild(work, rows + "-full");
                final String heaviest = heaviestModel(full);
                final double baseline = timed(() -> sql.execute("create table iceberg." + models + ".bench_baseline as "
                        + full.node(heaviest).path("compiled_code").asText()));
                sql.execute("drop table iceberg." + models + ".bench_baseline");
                final long increment = Math.max(1, rows / 100);
                final double incrementLoad =
                        timed(() -> insertRows(sql, sources, rows, increment, now.minus(Duration.ofDays(1)), 1, false));
                final Build incremental = dbtBuild(work, rows + "-incremental");
                return new SizeResult(
                        rows,
                        load,
                        full,
                        heaviest,
                        baseline,
                        incrementLoad,
                        incremental,
                        count(sql, "iceberg." + models + ".fct_points_ledger"));
            } finally {
                empty(sql);
            }
        }
    }

    /**
     * Ledger rows {@code offset+1 .. offset+count} with event times spread over {@code days} from {@code from}, each
     * with its audit decision; 1 in 1,000 also raises a fraud alert and 1 in 1,000 is a late event. Members (one per
     * user) come with the first batch only.
     */
    private static void insertRows(
            final Statement sql,
            final String schema,
            final long offset,
            final long count,
            final Instant from,
            final int days,
            final boolean withMembers)
            throws SQLException {
        final String s = "iceberg." + schema;
        final String rows = ledgerRows(offset, count, from, days);
        sql.execute("insert into " + s + ".points_ledger select business_key, user_id, points, withheld_points, status,"
                + " entry_type, sources, transaction_id, legacy_txn_id, event_time, updated_at, updated_at from "
                + rows);
        sql.execute("insert into " + s + ".reconciliation_audit select business_key,"
                + " case when sources = 'legacy' then null else points end,"
                + " case when sources = 'realtime' then null when resolution = 'CONFLICT' then points + 5 else points end,"
                + " resolution, updated_at, updated_at from " + rows);
        sql.execute("insert into " + s + ".fraud_alerts select business_key, user_id, event_time - interval '5' minute,"
                + " event_time, 1000 + n % 500, event_time + interval '1' hour from " + rows + " where n % 1000 = 7");
        sql.execute(
                "insert into " + s + ".late_events select business_key, user_id, 'store-' || cast(n % 200 as varchar),"
                        + " cast(n % 50000 * 0.01 as decimal(12, 2)), n % 500 + 1, event_time - interval '2' hour, 7200000,"
                        + " event_time from " + rows + " where n % 1000 = 500");
        if (withMembers) {
            sql.execute(
                    "insert into " + s + ".members select m, 'u-' || cast(m as varchar), 'member' || cast(m as varchar)"
                            + " || '@example.com', 'Member ' || cast(m as varchar), element_at(array['BRONZE', 'SILVER', 'GOLD'],"
                            + " cast(m % 3 + 1 as integer)), " + timestamp(from) + " from (select a * 1000 + b as m"
                            + " from unnest(sequence(0, " + (USERS / 1000 - 1)
                            + ")) t(a) cross join unnest(sequence(0, 999)) u(b))");
        }
    }

    /**
     * The generated ledger as a subquery: 90% EARN, 10% REDEEM, 1% ADJUST; 2% PAUSED (points withheld), 0.5% VOID
     * (legacy-only rows the legacy system deleted); 20% in both systems (1 in 10 of them a CONFLICT), 10% legacy-only;
     * users spread over 100,000 ids. Sequence() stops at 10,000 elements, so 1,000 x 1,000 x blocks.
     */
    static String ledgerRows(final long offset, final long count, final Instant from, final int days) {
        final long blocks = (count + 999_999) / 1_000_000;
        final long seconds = days * 86_400L;
        return "(select n, 'bench-' || cast(n as varchar) as business_key,"
                + " 'u-' || cast(n * 7919 % " + USERS + " as varchar) as user_id,"
                + " case when status <> 'AWARDED' then 0 when entry_type = 'REDEEM' then -100 * (n % 5 + 1)"
                + " when entry_type = 'ADJUST' then n % 21 - 10 else n * 31 % 500 + 1 end as points,"
                + " case when status = 'PAUSED' then n * 31 % 500 + 1 else 0 end as withheld_points, status, entry_type,"
                + " sources, case when sources = 'legacy' then null else 'bench-' || cast(n as varchar) end as transaction_id,"
                + " case when sources = 'realtime' then null else n end as legacy_txn_id,"
                + " case when sources = 'realtime' then 'REALTIME_ONLY' when sources = 'legacy' then 'LEGACY_ONLY'"
                + " when n % 50 = 0 then 'CONFLICT' else 'MERGED_DUPLICATE' end as resolution, event_time,"
                + " event_time + n % 600 * interval '1' second as updated_at"
                + " from (select n,"
                + " case when n % 10 = 0 then 'REDEEM' when n % 100 = 1 then 'ADJUST' else 'EARN' end as entry_type,"
                + " case when n % 50 = 7 then 'PAUSED' when n % 200 = 3 then 'VOID' else 'AWARDED' end as status,"
                + " case when n % 200 = 3 or n % 10 = 1 then 'legacy' when n % 5 = 0 then 'realtime+legacy'"
                + " else 'realtime' end as sources,"
                + " " + timestamp(from) + " + n * 7777 % " + seconds + " * interval '1' second as event_time"
                + " from (select " + offset + " + (a - 1) * 1000000 + (b - 1) * 1000 + c as n"
                + " from unnest(sequence(1, " + blocks + ")) t(a) cross join unnest(sequence(1, 1000)) u(b)"
                + " cross join unnest(sequence(1, 1000)) v(c)) where n <= " + (offset + count) + "))";
    }

    private static String timestamp(final Instant instant) {
        return "timestamp '" + instant.toString().replace('T', ' ').replace("Z", " UTC") + "'";
    }

    /** {@code dbt/bin/dbt build} as a child process, with artifacts and logs of its own. */
    private Build dbtBuild(final Path work, final String label) throws Exception {
        final Path target = work.resolve(label);
        final Path log = work.resolve(label + ".log");
        final ProcessBuilder builder = new ProcessBuilder(
                        repoDir.resolve("dbt/bin/dbt").toString(), "build", "--target-path", target.toString())
                .directory(repoDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // dbt/bin/dbt reads the dbt user's password from the data directory and passes dbt no other secret
        builder.environment()
                .putAll(Map.of(
                        "TRINO_URL",
                        settings.require("trino.url"),
                        "DATA_DIR",
                        settings.require("data.dir"),
                        "DBT_LOG_PATH",
                        work.resolve(label + "-logs").toString()));
        final long start = System.nanoTime();
        final int exit = builder.start().waitFor();
        final double wall = (System.nanoTime() - start) / 1e9;
        final Path runResults = target.resolve("run_results.json");
        if (exit == 2 || !Files.exists(runResults)) {
            throw new IllegalStateException("dbt build exited " + exit + ", see the tail of its log:\n" + tail(log));
        }
        final Build build = new Build(wall, exit, Json.MAPPER.readTree(runResults.toFile()));
        System.out.printf("dbt bench: dbt build (%s) took %.1f s, exit %d%n", label, wall, exit);
        return build;
    }

    /** The model with the longest execution in the full build: the one whose SQL the baseline runs alone. */
    private static String heaviestModel(final Build build) {
        return build.nodes().stream()
                .filter(n -> n.path("unique_id").asText().startsWith("model."))
                .max(Comparator.comparingDouble(n -> n.path("execution_time").asDouble()))
                .map(n -> n.path("unique_id").asText())
                .orElseThrow();
    }

    private BenchReport report(
            final List<SizeResult> results,
            final Map<String, Long> dagsterMemory,
            final String loadBefore,
            final String loadAfter) {
        final BenchReport report = new BenchReport("dbt: `dbt build` of the loyalty project on a generated ledger, "
                        + "then after 1% new rows, vs the heaviest model's SQL as one plain CTAS")
                .setting(
                        "dbt",
                        "dbt-core " + dbtVersion() + " (dbt/requirements.lock), `dbt/bin/dbt build "
                                + "--target-path <own>` as a child process, user dbt over HTTPS, threads: 2 (profiles.yml)")
                .setting(
                        "Trino",
                        "476, single node at " + settings.require("trino.url") + ", Iceberg on the JDBC "
                                + "catalog, local files; sources in iceberg.loyalty, models in iceberg.analytics")
                .setting(
                        "sizes",
                        String.join(
                                        ", ",
                                        sizes.stream()
                                                .map(n -> String.format("%,d", n))
                                                .toList()) + " ledger rows (bench.dbt.sizes)")
                .setting(
                        "ledger",
                        "100,000 users; 89% EARN, 10% REDEEM, 1% ADJUST; 2% PAUSED, 0.5% VOID; 70% "
                                + "real-time only, 20% in both systems, 10% legacy only; event times over 90 days; tables "
                                + "as iceberg.loyalty (ledger bucketed by business_key into "
                                + LoyaltyTables.LEDGER_BUCKETS + ")")
                .setting(
                        "other sources",
                        "one audit decision per ledger row (1 in 50 dual keys a CONFLICT), a fraud "
                                + "alert and a late event per 1,000 rows, 100,000 members")
                .setting(
                        "+1%",
                        "N/100 new ledger rows (with audit, alerts, late events) in the last day, then the "
                                + "same `dbt build`: fct_points_ledger merges rows with written_at >= its max - 60 min, the table marts "
                                + "are rebuilt, both snapshots compare, all tests run again")
                .setting(
                        "baseline",
                        "the full build's slowest model, its compiled SQL run as `create table ... as` "
                                + "through Trino JDBC (no __dbt_tmp, rename, or metadata queries)");
        report.chart(
                "dbt-builds",
                "dbt build wall times against the plain CTAS baseline",
                BenchChart.bars(
                        "dbt build per ledger size: full, after +1%, the slowest model as a plain CTAS",
                        "seconds",
                        results.stream()
                                .map(r -> String.format("%,d rows", r.rows()))
                                .toList(),
                        Map.of(
                                "full build",
                                results.stream()
                                        .map(r -> r.full().wallSeconds())
                                        .toList(),
                                "after +1%",
                                results.stream()
                                        .map(r -> r.incremental().wallSeconds())
                                        .toList(),
                                "slowest model as plain CTAS",
                                results.stream()
                                        .map(SizeResult::baselineSeconds)
                                        .toList())));
        final List<List<String>> summary = new ArrayList<>();
        for (final SizeResult r : results) {
            summary.add(List.of(
                    String.format("%,d", r.rows()),
                    seconds(r.loadSeconds()),
                    seconds(r.full().wallSeconds()),
                    seconds(r.full().overheadSeconds()),
                    name(r.heaviestModel()) + " "
                            + seconds(r.full()
                                    .node(r.heaviestModel())
                                    .path("execution_time")
                                    .asDouble()),
                    seconds(r.baselineSeconds()),
                    seconds(r.incremental().wallSeconds()),
                    seconds(r.incremental().node(FCT).path("execution_time").asDouble()),
                    rowsAffected(r.incremental().node(FCT)),
                    String.format("%,d", r.fctRowsAfter())));
        }
        report.table(
                "Builds",
                List.of(
                        "ledger rows",
                        "load sources (s)",
                        "full `dbt build` (s)",
                        "dbt overhead (s)",
                        "slowest model (s)",
                        "same SQL as plain CTAS (s)",
                        "`dbt build` after +1% (s)",
                        "fct_points_ledger merge (s)",
                        "rows merged",
                        "fct_points_ledger rows after"),
                summary);
        for (final SizeResult r : results) {
            report.table(
                    String.format("Slowest nodes at %,d rows (run_results.json execution_time)", r.rows()),
                    List.of("node", "full build (s)", "message", "after +1% (s)", "message"),
                    slowest(r));
            report.note(String.format(
                    "At %,d rows, nodes that did not succeed or pass: full build (exit %d): %s. "
                            + "After +1%% (exit %d): %s.",
                    r.rows(),
                    r.full().exitCode(),
                    r.full().notOk(),
                    r.incremental().exitCode(),
                    r.incremental().notOk()));
        }
        final List<List<String>> byType = new ArrayList<>();
        for (final SizeResult r : results) {
            for (final Build build : List.of(r.full(), r.incremental())) {
                final String perType = build.secondsByType().entrySet().stream()
                        .map(e -> e.getKey() + " " + seconds(e.getValue()))
                        .collect(Collectors.joining(", "));
                byType.add(List.of(
                        String.format("%,d", r.rows()),
                        build == r.full() ? "full" : "after +1%",
                        perType,
                        seconds(build.overheadSeconds())));
            }
        }
        report.table(
                "Where a build's time goes",
                List.of("ledger rows", "build", "execution_time summed per resource " + "type (s)", "dbt overhead (s)"),
                byType);
        report.table(
                "Dagster processes (resident memory, each with its child processes, idle after start)",
                List.of("process", "RSS (MiB)"),
                dagsterMemory.entrySet().stream()
                        .map(e -> List.of(e.getKey(), String.format("%,d", e.getValue() / 1024 / 1024)))
                        .toList());
        report.note("The JVM runner this replaced measured, on the same ledger (2026-11-25, one thread): 1M rows full "
                + "build 59.9 s, after +1% 45.7 s; 10M rows 105.9 s, 44.2 s (bench/results/dbt.md of that day).");
        report.note("dbt overhead = the child process's wall time minus the sum of the nodes' execution_time: Python "
                + "start, parsing the project, compiling, writing the artifacts; with two threads nodes overlap, so "
                + "it can be negative. Rows merged is the merge's rows_affected; it exceeds the new rows by the older "
                + "rows written within the 60-minute lookback before the newest merged written_at. The machine's 2 cores were shared with other work: load averages (1/5/15 min) "
                + loadBefore
                + " before, " + loadAfter + " after; read the figures as rough.");
        return report;
    }

    /** The nodes slowest in either build, slowest first. */
    private static List<List<String>> slowest(final SizeResult r) {
        final Map<String, Double> worst = new LinkedHashMap<>();
        for (final Build build : List.of(r.full(), r.incremental())) {
            build.nodes()
                    .forEach(n -> worst.merge(
                            n.path("unique_id").asText(),
                            n.path("execution_time").asDouble(),
                            Math::max));
        }
        return worst.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(SLOWEST_NODES)
                .map(Map.Entry::getKey)
                .map(id -> List.of(
                        name(id),
                        seconds(r.full().node(id).path("execution_time").asDouble()),
                        message(r.full().node(id)),
                        seconds(r.incremental().node(id).path("execution_time").asDouble()),
                        message(r.incremental().node(id))))
                .toList();
    }

    /** {@code model.loyalty.fct_points_ledger} -> {@code fct_points_ledger (model)}. */
    private static String name(final String uniqueId) {
        final String[] parts = uniqueId.split("\\.");
        final String shortName =
                parts.length >= 3 ? String.join(".", Arrays.copyOfRange(parts, 2, parts.length)) : uniqueId;
        return "`" + shortName + "` (" + parts[0] + ")";
    }

    /** The node's status and message on one table cell: no line breaks or pipes, long errors cut. */
    private static String message(final JsonNode node) {
        final String text = node.path("status").asText("-")
                + (node.path("message").isTextual()
                        ? ": " + node.path("message").asText()
                        : "");
        final String cell = text.replaceAll("\\s+", " ").replace("|", "\\|");
        return cell.length() > 200 ? cell.substring(0, 200) + "…" : cell;
    }

    private static String rowsAffected(final JsonNode node) {
        final JsonNode rows = node.path("adapter_response").path("rows_affected");
        return rows.isNumber() ? String.format("%,d", rows.asLong()) : message(node);
    }

    private static String seconds(final double value) {
        return String.format("%.1f", value);
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }

    private static double timed(final SqlAction action) throws SQLException {
        final long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static long count(final Statement sql, final String table) throws SQLException {
        try (ResultSet rs = sql.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Empties the loyalty tables and drops every dbt relation, so each size starts from nothing. */
    private static void empty(final Statement sql) throws SQLException {
        for (final LoyaltyTables.TableDefinition table : LoyaltyTables.ALL) {
            sql.execute("delete from iceberg.loyalty." + table.name());
        }
        final List<String> drops = new ArrayList<>();
        try (ResultSet rs = sql.executeQuery("select table_name, table_type from iceberg.information_schema.tables"
                + " where table_schema = 'analytics'")) {
            while (rs.next()) {
                drops.add("drop " + ("VIEW".equals(rs.getString(2)) ? "view" : "table") + " iceberg.analytics.\""
                        + rs.getString(1) + "\"");
            }
        }
        for (final String drop : drops) {
            sql.execute(drop);
        }
    }

    /** Resident memory of the stack's Dagster processes and their children, from /proc. */
    private Map<String, Long> dagsterMemory() throws IOException {
        final Map<String, Long> memory = new LinkedHashMap<>();
        for (final String name : List.of("dagster-code-server", "dagster-webserver", "dagster-daemon")) {
            final Path pidFile = Path.of(settings.require("data.dir"), "run", name + ".pid");
            if (Files.exists(pidFile)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                        .ifPresent(process -> memory.put(
                                name,
                                java.util.stream.Stream.concat(
                                                java.util.stream.Stream.of(process), process.descendants())
                                        .mapToLong(DbtBench::residentBytes)
                                        .sum()));
            }
        }
        return memory;
    }

    private static long residentBytes(final ProcessHandle process) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .findFirst()
                    .map(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024)
                    .orElse(0L);
        } catch (final IOException e) {
            return 0;
        }
    }

    private String dbtVersion() {
        try {
            final Process process = new ProcessBuilder(
                            repoDir.resolve(".cache/venv/bin/dbt").toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            final String out = new String(process.getInputStream().readAllBytes());
            process.waitFor();
            return out.lines()
                            .filter(line -> line.contains("installed:"))
                            .findFirst()
                            .map(String::trim)
                            .map(line -> line.replaceAll(".*installed:\\s*", ""))
                            .orElse("?")
                    + ", dbt-trino "
                    + out.lines()
                            .filter(line -> line.contains("trino:"))
                            .findFirst()
                            .map(line -> line.replaceAll(".*trino:\\s*", "").split("\\s")[0])
                            .orElse("?");
        } catch (final IOException | InterruptedException e) {
            return "?";
        }
    }

    private static void deleteTree(final Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    private static String tail(final Path log) throws IOException {
        final List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private Connection trino() throws SQLException {
        final TrinoLogin admin = TrinoLogin.of(settings, "loyalty_admin");
        return DriverManager.getConnection(admin.jdbcUrl("iceberg"), admin.jdbcProperties());
    }

    private static String loadAverage() throws IOException {
        return String.join(
                " / ",
                Arrays.asList(Files.readString(Path.of("/proc/loadavg")).split(" "))
                        .subList(0, 3));
    }
}
