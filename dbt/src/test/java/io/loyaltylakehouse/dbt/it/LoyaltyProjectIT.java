package io.loyaltylakehouse.dbt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.dbt.LoyaltySourceTables;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loyalty project itself (dbt/project) against a private copy of the lakehouse tables of CONTRACT section 6:
 * everything builds and passes, balances equal the ledger sums, the incremental ledger merges changes, and two
 * snapshot runs with a change in between give SCD2 history.
 */
class LoyaltyProjectIT {
    @TempDir
    Path dir;
    TrinoSchema schema;
    Path project;

    @BeforeEach
    void setUp() throws Exception {
        schema = TrinoSchema.create("loyalty");
        final String s = "iceberg." + schema.name();
        for (final String ddl : LoyaltySourceTables.ddl(s)) {
            schema.execute(ddl);
        }
        schema.execute("insert into " + s + ".points_ledger values"
                + " ('t-1', 'u-1', 500, 0, 'AWARDED', 'EARN', 'realtime', 't-1', null, timestamp '2026-11-25 10:00:00 UTC', timestamp '2026-11-25 10:00:01 UTC'),"
                + " ('t-2', 'u-1', 600, 0, 'AWARDED', 'EARN', 'realtime+legacy', 't-2', 7, timestamp '2026-11-25 10:01:00 UTC', timestamp '2026-11-25 10:01:01 UTC'),"
                + " ('t-3', 'u-1', 0, 300, 'PAUSED', 'EARN', 'realtime', 't-3', null, timestamp '2026-11-25 10:02:00 UTC', timestamp '2026-11-25 10:02:01 UTC'),"
                + " ('r-1', 'u-1', -200, 0, 'AWARDED', 'REDEEM', 'realtime', null, null, timestamp '2026-11-25 10:03:00 UTC', timestamp '2026-11-25 10:03:01 UTC'),"
                + " ('legacy-9', 'legacy-3', 40, 0, 'AWARDED', 'ADJUST', 'legacy', null, 9, timestamp '2026-11-24 08:00:00 UTC', timestamp '2026-11-25 09:00:00 UTC')");
        schema.execute("insert into " + s + ".reconciliation_audit values"
                + " ('t-1', 500, null, 'REALTIME_ONLY', timestamp '2026-11-25 10:00:02 UTC'),"
                + " ('t-2', 600, 650, 'CONFLICT', timestamp '2026-11-25 10:01:02 UTC'),"
                + " ('legacy-9', null, 40, 'LEGACY_ONLY', timestamp '2026-11-25 09:00:01 UTC')");
        schema.execute("insert into " + s + ".fraud_alerts values ('t-2', 'u-1', timestamp '2026-11-25 10:00:00 UTC',"
                + " timestamp '2026-11-25 10:05:00 UTC', 1100, timestamp '2026-11-25 11:01:00 UTC')");
        schema.execute("insert into " + s + ".late_events values ('t-0', 'u-2', 's-1', 12.50, 12,"
                + " timestamp '2026-11-25 09:00:00 UTC', 900000, timestamp '2026-11-25 09:15:00 UTC')");
        schema.execute("insert into " + s + ".members values (3, 'legacy-3', 'a@example.com', 'Ann', 'GOLD',"
                + " timestamp '2026-11-20 00:00:00 UTC')");
        project = copy(Path.of("project"), dir.resolve("loyalty"));
    }

    @AfterEach
    void tearDown() throws Exception {
        schema.close();
    }

    private static Path copy(final Path from, final Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (final Path file : files.filter(f -> !from.relativize(f).toString().startsWith("target")).toList()) {
                final Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return to;
    }

    private CommandRunner.Outcome dbt(final String... args) {
        final String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--vars";
        all[args.length + 1] = "{loyalty_schema: " + schema.name() + "}";
        return schema.dbt(project, all);
    }

    @Test
    void buildsEveryModelPassesEveryTestAndKeepsHistory() throws Exception {
        final String s = "iceberg." + schema.name();
        final CommandRunner.Outcome first = dbt("build");
        assertThat(first.results()).filteredOn(r -> !r.status().equals("success") && !r.status().equals("pass"))
                .isEmpty();
        assertThat(first.exitCode()).isZero();

        assertThat(schema.rows("select user_id, cast(balance as varchar), cast(lifetime_earned as varchar),"
                + " cast(lifetime_redeemed as varchar), cast(withheld_points as varchar) from " + s
                + ".user_points_balance order by user_id")).containsExactly(
                List.of("legacy-3", "40", "40", "0", "0"), List.of("u-1", "900", "1100", "200", "300"));
        assertThat(schema.rows("select alert_id, cast(paused_purchases as varchar), cast(points_withheld as varchar) from "
                + s + ".fraud_review")).containsExactly(List.of("t-2", "1", "300"));
        assertThat(schema.rows("select cast(decided_on as varchar), cast(keys_decided as varchar),"
                + " cast(conflict_keys as varchar), format('%.4f', share_reconciled) from " + s + ".reconciliation_accuracy"))
                .containsExactly(List.of("2026-11-25", "3", "1", "0.6667"));

        // a legacy DELETE voids a row, a new purchase arrives, a member changes tier
        schema.execute("update " + s + ".points_ledger set points = 0, status = 'VOID',"
                + " updated_at = timestamp '2026-11-25 12:00:00 UTC' where business_key = 'legacy-9'");
        schema.execute("insert into " + s + ".points_ledger values ('t-4', 'u-2', 70, 0, 'AWARDED', 'EARN', 'realtime',"
                + " 't-4', null, timestamp '2026-11-25 12:00:00 UTC', timestamp '2026-11-25 12:00:01 UTC')");
        schema.execute("update " + s + ".members set tier = 'PLATINUM', updated_at = timestamp '2026-11-25 12:00:00 UTC'");

        final CommandRunner.Outcome second = dbt("build");
        assertThat(second.exitCode()).isZero();
        assertThat(second.results().stream().filter(r -> r.uniqueId().equals("model.loyalty.fct_points_ledger"))
                .findFirst().orElseThrow().message()).startsWith("MERGE");
        assertThat(schema.rows("select user_id, cast(balance as varchar) from " + s + ".user_points_balance order by user_id"))
                .containsExactly(List.of("legacy-3", "0"), List.of("u-1", "900"), List.of("u-2", "70"));
        assertThat(schema.rows("select u.user_id from " + s + ".user_points_balance u join (select user_id, sum(points) p from "
                + s + ".points_ledger group by user_id) l on u.user_id = l.user_id where u.balance != l.p")).isEmpty();
        assertThat(schema.rows("select tier, cast(dbt_valid_to is null as varchar) from " + s
                + ".members_snapshot order by dbt_valid_from")).containsExactly(List.of("GOLD", "false"),
                List.of("PLATINUM", "true"));
        assertThat(schema.rows("select user_id, cast(balance as varchar), cast(dbt_valid_to is null as varchar) from " + s
                + ".user_balance_snapshot order by user_id, dbt_valid_from")).containsExactly(
                List.of("legacy-3", "40", "false"), List.of("legacy-3", "0", "true"), List.of("u-1", "900", "true"),
                List.of("u-2", "70", "true"));
    }
}
