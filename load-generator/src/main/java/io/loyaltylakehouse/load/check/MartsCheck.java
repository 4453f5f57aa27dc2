package io.loyaltylakehouse.load.check;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.load.oracle.Truth;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares the dbt marts in {@code iceberg.analytics} (read as {@code analyst}, after {@code make dbt-build}) with a
 * run's ground truth: every user's {@code user_points_balance} balance and withheld points, and the user's rows and
 * VOID rows in {@code fct_points_ledger}. A mart that missed a legacy correction (an UPDATE or a DELETE that VOIDed a
 * row after an earlier build) shows here as that user's difference.
 */
public final class MartsCheck {
    private MartsCheck() {}

    /** Usage: {@code MartsCheck <truth.json>}; prints every difference and exits 1 when there is one. */
    public static void main(final String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: MartsCheck <truth.json>");
            System.exit(2);
        }
        final Truth truth = Truth.read(Path.of(args[0]));
        final List<String> differences = differences(Settings.load("load-generator"), truth);
        differences.forEach(System.out::println);
        System.out.println(
                differences.isEmpty()
                        ? "dbt marts equal the truth for all " + truth.users().size() + " users"
                        : differences.size() + " differences between the dbt marts and the truth");
        System.exit(differences.isEmpty() ? 0 : 1);
    }

    public static List<String> differences(final Settings settings, final Truth truth) throws SQLException {
        try (Connection trino = LakehouseCheck.analyst(settings)) {
            return differences(trino, truth);
        }
    }

    static List<String> differences(final Connection trino, final Truth truth) throws SQLException {
        final String users =
                LakehouseCheck.inList(truth.users().keySet().stream().toList());
        final Map<String, List<Long>> balances = byUser(LakehouseCheck.query(
                trino,
                "SELECT user_id, balance, withheld_points FROM iceberg.analytics.user_points_balance"
                        + " WHERE user_id IN (" + users + ")"));
        final Map<String, List<Long>> rows = byUser(LakehouseCheck.query(
                trino,
                "SELECT user_id, count(*), count_if(ledger_status = 'VOID') FROM iceberg.analytics.fct_points_ledger"
                        + " WHERE user_id IN (" + users + ") GROUP BY user_id"));
        final List<String> out = new ArrayList<>();
        truth.users().forEach((user, expected) -> {
            final List<Long> balance = balances.getOrDefault(user, List.of(0L, 0L));
            final List<Long> ledger = rows.getOrDefault(user, List.of(0L, 0L));
            LakehouseCheck.compare(out, user, "user_points_balance.balance", expected.ledgerBalance(), balance.get(0));
            LakehouseCheck.compare(
                    out, user, "user_points_balance.withheld_points", expected.withheldPoints(), balance.get(1));
            LakehouseCheck.compare(out, user, "fct_points_ledger rows", expected.ledgerEntries(), ledger.get(0));
            LakehouseCheck.compare(out, user, "fct_points_ledger VOID rows", expected.voidEntries(), ledger.get(1));
        });
        return out;
    }

    private static Map<String, List<Long>> byUser(final List<List<String>> rows) {
        final Map<String, List<Long>> out = new HashMap<>();
        for (final List<String> row : rows) {
            out.put(
                    row.get(0),
                    row.subList(1, row.size()).stream()
                            .map(value -> value == null ? 0L : Long.parseLong(value))
                            .toList());
        }
        return out;
    }
}
