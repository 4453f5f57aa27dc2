package io.loyaltylakehouse.dbt;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.common.ops.OpsServer;
import io.loyaltylakehouse.dbt.adapter.Adapter;
import io.loyaltylakehouse.dbt.adapter.TrinoAdapter;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import io.loyaltylakehouse.dbt.exec.Invocation;
import io.loyaltylakehouse.dbt.project.Target;
import io.loyaltylakehouse.dbt.schedule.RunArchive;
import io.loyaltylakehouse.dbt.schedule.SchedulerConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code dbt snapshot} (or the configured command) on a cron schedule through the JVM runner, keeps each
 * run's run_results.json in its own directory, writes the status file {@code make status} prints, and serves
 * {@code /health} and {@code /metrics}.
 */
public final class SnapshotScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotScheduler.class);

    private final SchedulerConfig config;
    private final Function<Target, Adapter> connector;
    private final RunArchive archive;
    private final Metrics metrics = new Metrics("loyalty_dbt_");
    private final io.prometheus.metrics.core.metrics.Counter scheduledRuns = metrics.counter("scheduled_runs_total",
            "Scheduled dbt runs by result", "result");
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        final Thread thread = new Thread(runnable, "dbt-scheduler");
        thread.setDaemon(false);
        return thread;
    });
    private final AtomicReference<RunArchive.LastRun> lastRun = new AtomicReference<>();
    private final AtomicReference<Instant> nextRun = new AtomicReference<>();
    private final AtomicLong runs = new AtomicLong();
    private OpsServer ops;

    SnapshotScheduler(final SchedulerConfig config, final Function<Target, Adapter> connector) {
        this.config = config;
        this.connector = connector;
        this.archive = new RunArchive(config.runsDir(), config.statusFile(), config.keepRuns());
        metrics.gauge("last_run_duration_seconds", "Duration of the last scheduled dbt run", () -> {
            final RunArchive.LastRun last = lastRun.get();
            return last == null ? 0 : (last.finishedAt().toEpochMilli() - last.startedAt().toEpochMilli()) / 1000.0;
        });
        metrics.gauge("last_run_exit_code", "dbt exit code of the last scheduled run (-1 before the first)",
                () -> lastRun.get() == null ? -1 : lastRun.get().exitCode());
        metrics.gauge("last_run_finished_timestamp_seconds", "When the last scheduled dbt run finished (0 before the "
                + "first)", () -> lastRun.get() == null ? 0 : lastRun.get().finishedAt().toEpochMilli() / 1000.0);
    }

    public static void main(final String[] args) throws Exception {
        final SnapshotScheduler scheduler = new SnapshotScheduler(SchedulerConfig.from(Settings.load("dbt")),
                TrinoAdapter::connect);
        Runtime.getRuntime().addShutdownHook(new Thread(scheduler::close, "dbt-scheduler-shutdown"));
        scheduler.start();
    }

    void start() throws java.io.IOException {
        ops = new OpsServer(config.httpHost(), config.httpPort(), this::health, metrics).start();
        LOG.info("Scheduling 'dbt {}' of {} on '{}' (UTC)", config.command(), config.projectDir(), config.cron());
        scheduleNext();
    }

    private void scheduleNext() {
        final ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        final ZonedDateTime next = config.cron().next(now);
        nextRun.set(next.toInstant());
        archive.writeStatus(config.cron().toString(), lastRun.get(), next.toInstant(), runs.get());
        LOG.info("Next dbt {} at {}", config.command(), next.toInstant());
        executor.schedule(() -> {
            runOnce();
            scheduleNext();
        }, Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One scheduled run; never throws, so the schedule goes on after a failed run. */
    RunArchive.LastRun runOnce() {
        final Instant started = Instant.now();
        int exit;
        CommandRunner.Outcome outcome = null;
        try {
            outcome = new CommandRunner(connector, DbtRunner.environment(System.getenv(), config.trinoUrl()))
                    .run(Invocation.parse(arguments()));
            exit = outcome.exitCode();
        } catch (final RuntimeException e) {
            LOG.error("Scheduled dbt {} could not run: {}", config.command(), e.getMessage());
            exit = 2;
        }
        final String runDir = outcome == null ? null
                : archive.archive(started, outcome.targetDir().resolve("run_results.json")).toString();
        final RunArchive.LastRun last = new RunArchive.LastRun(started, Instant.now(), config.command(), exit, runDir);
        lastRun.set(last);
        runs.incrementAndGet();
        scheduledRuns.labelValues(last.result()).inc();
        LOG.info("Scheduled dbt {} finished: {} (exit {}), run results in {}", config.command(), last.result(), exit, runDir);
        return last;
    }

    /** The configured command (it may carry options, e.g. {@code build --select +user_balance_snapshot}). */
    private String[] arguments() {
        final java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(config.command().trim().split("\\s+")));
        args.addAll(java.util.List.of("--project-dir", config.projectDir().toString(),
                "--profiles-dir", config.profilesDir().toString()));
        return args.toArray(String[]::new);
    }

    private OpsServer.Health health() {
        final RunArchive.LastRun last = lastRun.get();
        final String json = Map.of("status", "UP", "schedule", config.cron().toString(),
                "last_result", last == null ? "none" : last.result(),
                "next_run_at", String.valueOf(nextRun.get())).entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
                .collect(java.util.stream.Collectors.joining(",", "{", "}"));
        return new OpsServer.Health(!executor.isShutdown(), json);
    }

    @Override
    public void close() {
        executor.shutdownNow();
        if (ops != null) {
            ops.close();
        }
    }
}
