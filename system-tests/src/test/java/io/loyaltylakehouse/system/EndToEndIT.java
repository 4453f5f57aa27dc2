package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.load.check.LakehouseCheck;
import io.loyaltylakehouse.load.check.MartsCheck;
import io.loyaltylakehouse.load.check.RealtimeCheck;
import io.loyaltylakehouse.load.oracle.Truth;
import io.loyaltylakehouse.stack.ModuleCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product, driven only through the contract: {@code make load} with ground truth (real-time and legacy
 * traffic together, with every planted case of issue 9: ids reused across users, white-space ids, one user's
 * purchases on wrong partitions, a future-dated purchase, a legacy account closed with its transactions, hostile
 * records), then, once the pipeline has settled (polled, never slept), the whole outcome against the truth:
 * every user's real-time balance, paused_until, ledger entries, paused entries, withheld points, fraud alerts,
 * late events and redemption results on Kafka, the dead letters of each input topic, every user's
 * {@code sum(points)}, rows, VOID and PAUSED rows in {@code iceberg.loyalty.points_ledger}, fraud_alerts and
 * late_events rows, and the run's audit rows by resolution, through Trino as {@code analyst}; and the dbt marts
 * built by real dbt during and after the run.
 */
class EndToEndIT {
    private static final Duration SETTLE = Duration.ofMinutes(8);
    private static final Settings SETTINGS = Settings.load("load-generator");

    @TempDir
    static Path workDir;

    static Truth truth;

    @BeforeAll
    static void load() throws Exception {
        final Path truthFile = workDir.resolve("truth.json");
        final List<String> command = new ArrayList<>(ModuleCommand.of(
                        Path.of("..").toAbsolutePath().normalize(),
                        "load-generator",
                        "load-generator",
                        "io.loyaltylakehouse.load.LoadGenerator",
                        "512m")
                .orElseThrow());
        command.addAll(List.of(
                "--events",
                "4000",
                "--seed",
                "11",
                "--rate",
                "0",
                "--truth",
                truthFile.toString(),
                "--run-id",
                "e2e" + UUID.randomUUID().toString().substring(0, 6)));
        final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("load.log").toFile())
                .start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue())
                .as(Files.readString(workDir.resolve("load.log")))
                .isZero();
        truth = Truth.read(truthFile);
        assertThat(truth.run().complete()).isTrue();
        assertThat(truth.run().orderHeld()).isTrue();
    }

    @Test
    void theRunPlantedEveryCaseTheTruthAccountsFor() {
        assertThat(truth.totals())
                .hasEntrySatisfying(
                        "cross_user_duplicates", count -> assertThat(count).isEqualTo(3))
                .hasEntrySatisfying("bad_ids", count -> assertThat(count).isEqualTo(4))
                .hasEntrySatisfying(
                        "wrong_partition_records", count -> assertThat(count).isEqualTo(4))
                .hasEntrySatisfying(
                        "future_dated_records", count -> assertThat(count).isEqualTo(1))
                .hasEntrySatisfying(
                        "legacy_members_deleted", count -> assertThat(count).isEqualTo(1))
                .hasEntrySatisfying("late_events", count -> assertThat(count).isPositive())
                .hasEntrySatisfying("fraud_alerts", count -> assertThat(count).isPositive());
        assertThat(truth.deadLetters().values())
                .allSatisfy(count -> assertThat(count).isPositive());
    }

    /** Needs edge-streams with global ids, ownership by payload and a stream time one record cannot push. */
    @Test
    void realtimeOutputsEqualTheGroundTruth() {
        await().atMost(SETTLE)
                .pollInterval(Duration.ofSeconds(3))
                .untilAsserted(() ->
                        assertThat(RealtimeCheck.differences(SETTINGS, truth)).isEmpty());
    }

    /**
     * dbt's incremental models select by {@code written_at}: a build while the run's rows are still arriving, one
     * after the lakehouse settled (legacy UPDATEs and DELETE -> VOID included), and the marts equal the truth.
     */
    @Test
    void dbtMartsBuiltDuringAndAfterTheRunEqualTheGroundTruth() throws Exception {
        dbtBuild("during");
        await().atMost(SETTLE)
                .pollInterval(Duration.ofSeconds(5))
                .ignoreExceptions()
                .untilAsserted(() ->
                        assertThat(LakehouseCheck.differences(SETTINGS, truth)).isEmpty());
        dbtBuild("after");
        assertThat(MartsCheck.differences(SETTINGS, truth)).isEmpty();
    }

    /** Real dbt (dbt/bin/dbt) through the stack's Trino as user {@code dbt}; its exit code must be 0. */
    private static void dbtBuild(final String name) throws Exception {
        final Path log = workDir.resolve("dbt-build-" + name + ".log");
        final Process dbt = new ProcessBuilder(
                        Path.of("..", "dbt", "bin", "dbt").toString(), "build", "--no-partial-parse")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        assertThat(dbt.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(dbt.exitValue()).as(Files.readString(log)).isZero();
    }

    /** Needs the reconciler/cdc-bridge that VOID a closed account's rows and never move a row to another user. */
    @Test
    void unifiedLedgerAndAuditInTrinoEqualTheGroundTruth() {
        await().atMost(SETTLE)
                .pollInterval(Duration.ofSeconds(5))
                .ignoreExceptions()
                .untilAsserted(() ->
                        assertThat(LakehouseCheck.differences(SETTINGS, truth)).isEmpty());
    }
}
