package io.loyaltylakehouse.dbt.schedule;

import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Path;

/** The scheduler's settings from dbt.properties (+ environment), with paths resolved. */
public record SchedulerConfig(CronSchedule cron, String command, Path projectDir, Path profilesDir, Path runsDir,
                              Path statusFile, int keepRuns, String httpHost, int httpPort, String trinoUrl) {

    public static SchedulerConfig from(final Settings settings) {
        final Path dataDir = Path.of(settings.require("data.dir"));
        return new SchedulerConfig(
                CronSchedule.parse(settings.require("dbt.snapshot.cron")),
                settings.require("dbt.snapshot.command"),
                Path.of(settings.require("dbt.project.dir")).toAbsolutePath(),
                Path.of(settings.require("dbt.profiles.dir")).toAbsolutePath(),
                dataDir.resolve(settings.require("dbt.runs.dir")).toAbsolutePath(),
                dataDir.resolve(settings.require("dbt.status.file")).toAbsolutePath(),
                settings.requireInt("dbt.runs.keep"),
                settings.require("dbt.http.host"),
                settings.requireInt("dbt.http.port"),
                settings.require("trino.url"));
    }
}
