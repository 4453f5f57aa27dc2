package io.loyaltylakehouse.dbt;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.dbt.schedule.CronSchedule;
import io.loyaltylakehouse.dbt.schedule.RunArchive;
import io.loyaltylakehouse.dbt.schedule.SchedulerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotSchedulerTest {
    @TempDir
    Path dir;

    private SchedulerConfig config(final Path project, final String command) {
        return new SchedulerConfig(CronSchedule.parse("*/15 * * * *"), command, project, project, dir.resolve("runs"),
                dir.resolve("status.json"), 10, "127.0.0.1", 0, "http://127.0.0.1:8080");
    }

    @Test
    void aRunKeepsItsRunResultsInItsOwnDirectory() {
        final Path project = Fixtures.project("shop", dir);
        final RecordingAdapter adapter = new RecordingAdapter().withSchema("iceberg", "shop_dev");
        final SnapshotScheduler scheduler = new SnapshotScheduler(config(project, "snapshot"), target -> adapter);

        final RunArchive.LastRun run = scheduler.runOnce();

        assertThat(run.result()).isEqualTo("success");
        assertThat(Path.of(run.runDir()).resolve("run_results.json")).exists();
        assertThat(adapter.statements()).anyMatch(sql -> sql.startsWith("create table \"iceberg\".\"shop_dev\".\"orders_snapshot\""));
        scheduler.close();
    }

    @Test
    void aRunThatCannotStartIsAnErrorAndTheScheduleGoesOn() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        final SnapshotScheduler scheduler = new SnapshotScheduler(config(dir.resolve("empty"), "build --select x"),
                target -> new RecordingAdapter());

        final RunArchive.LastRun run = scheduler.runOnce();

        assertThat(run.result()).isEqualTo("error");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.runDir()).isNull();
        scheduler.close();
    }
}
