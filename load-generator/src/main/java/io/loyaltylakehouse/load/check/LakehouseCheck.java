package io.loyaltylakehouse.load.check;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.trino.TrinoLogin;
import io.loyaltylakehouse.load.oracle.Truth;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Compares a run's ground truth with the lakehouse, read through Trino as {@code analyst} (CONTRACT 6): every
 * user's {@code sum(points)}, rows, VOID and PAUSED rows and withheld points in {@code iceberg.loyalty.points_ledger},
 * the run's {@code reconciliation_audit} rows by resolution, and its users' {@code fraud_alerts} and
 * {@code late_events}. A run's rows are recognized by its user ids and business keys (its ids carry the run id;
 * legacy-only keys are {@code legacy-<txn_id>} in the run's txn_id range).
 */
public final class LakehouseCheck {
    private LakehouseCheck() {}

    /** Usage: {@code LakehouseCheck <truth.json> [wait, e.g. 5m]}: polls Trino until it agrees or the wait is over. */
    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LakehouseCheck <truth.json> [wait, e.g. 5m]");
            System.exit(2);
        }
        final Truth truth = Truth.read(Path.of(args[0]));
        final Duration wait = args.length > 1 ? Duration.parse("PT" + args[1].toUpperCase()) : Duration.ofMinutes(5);
        final Settings settings = Settings.load("load-generator");
        final List<String> differences =
                UntilEqual.await(() -> differences(settings, truth), wait, Duration.ofSeconds(5));
        differences.forEach(System.out::println);
        System.out.println(
                differences.isEmpty()
                        ? "OK: iceberg.loyalty matches the ground truth of run "
                                + truth.run().runId() + " for " + truth.users().size() + " users"
                        : differences.size() + " differences from the ground truth of run "
                                + truth.run().runId());
        System.exit(differences.isEmpty() ? 0 : 1);
    }

    /** Every difference, one line each; empty when the lakehouse equals the truth. */
    public static List<String> differences(final Settings settings, final Truth truth) throws SQLException {
        try (Connection trino = analyst(settings)) {
            return differences(trino, truth);
        }
    }

    /** Trino as {@code analyst}, with its password over HTTPS (CONTRACT 8). */
    public static Connection analyst(final Settings settings) throws SQLException {
        final TrinoLogin login = TrinoLogin.of(settings, "analyst");
        return DriverManager.getConnection(login.jdbcUrl("iceberg"), login.jdbcProperties());
    }

    static List<String> differences(final Connection trino, final Truth truth) throws SQLException {
        final List<String> out = new ArrayList<>();
        final Map<String, List<Long>> ledger = new HashMap<>();
        final String users = inList(truth.users().keySet().stream().toList());
        for (final List<String> row : query(
                trino,
                "SELECT user_id, sum(points), count(*),"
                        + " count_if(status = 'VOID'), count_if(status = 'PAUSED'), sum(withheld_points)"
                        + " FROM iceberg.loyalty.points_ledger WHERE user_id IN (" + users + ") GROUP BY user_id")) {
            ledger.put(
                    row.get(0),
                    row.subList(1, row.size()).stream().map(Long::parseLong).toList());
        }
        final Map<String, Long> alerts = counts(query(
                trino,
                "SELECT user_id, count(*) FROM iceberg.loyalty.fraud_alerts" + " WHERE user_id IN (" + users
                        + ") GROUP BY user_id"));
        final Map<String, Long> late = counts(query(
                trino,
                "SELECT user_id, count(*) FROM iceberg.loyalty.late_events" + " WHERE user_id IN (" + users
                        + ") GROUP BY user_id"));
        truth.users().forEach((user, expected) -> {
            final List<Long> seen = ledger.getOrDefault(user, List.of(0L, 0L, 0L, 0L, 0L));
            compare(out, user, "ledger sum(points)", expected.ledgerBalance(), seen.get(0));
            compare(out, user, "ledger rows", expected.ledgerEntries(), seen.get(1));
            compare(out, user, "VOID rows", expected.voidEntries(), seen.get(2));
            compare(out, user, "PAUSED rows", expected.pausedEntries(), seen.get(3));
            compare(out, user, "withheld points", expected.withheldPoints(), seen.get(4));
            compare(out, user, "fraud_alerts rows", expected.fraudAlerts(), alerts.getOrDefault(user, 0L));
            compare(out, user, "late_events rows", expected.lateEvents(), late.getOrDefault(user, 0L));
        });
        final Truth.Run run = truth.run();
        final Map<String, Long> audit = counts(query(
                trino,
                "SELECT resolution, count(*)"
                        + " FROM iceberg.loyalty.reconciliation_audit WHERE strpos(business_key, '-" + run.runId()
                        + "-') > 0"
                        + " OR (business_key LIKE 'legacy-%' AND try_cast(substr(business_key, 8) AS bigint) BETWEEN "
                        + run.firstLegacyTxnId() + " AND " + run.lastLegacyTxnId() + ") GROUP BY resolution"));
        truth.audit()
                .forEach((resolution, expected) ->
                        compare(out, "reconciliation_audit", resolution, expected, audit.getOrDefault(resolution, 0L)));
        return out;
    }

    static void compare(
            final List<String> out, final String subject, final String what, final long expected, final Long actual) {
        if (!Objects.equals(expected, actual)) {
            out.add(subject + ": " + what + " expected " + expected + " but was " + actual);
        }
    }

    private static Map<String, Long> counts(final List<List<String>> rows) {
        return rows.stream().collect(Collectors.toMap(row -> row.get(0), row -> Long.parseLong(row.get(1))));
    }

    static String inList(final List<String> values) {
        return values.isEmpty()
                ? "NULL"
                : values.stream()
                        .map(value -> "'" + value.replace("'", "''") + "'")
                        .collect(Collectors.joining(","));
    }

    /** Runs a query and returns each row as a list of strings (the system tests read Trino through it too). */
    public static List<List<String>> query(final Connection connection, final String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            final List<List<String>> out = new ArrayList<>();
            final int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                final List<String> row = new ArrayList<>();
                for (int column = 1; column <= columns; column++) {
                    row.add(rows.getString(column));
                }
                out.add(row);
            }
            return out;
        }
    }
}
