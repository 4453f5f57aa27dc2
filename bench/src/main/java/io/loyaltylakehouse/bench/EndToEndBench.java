package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.load.LoadGenerator;
import io.loyaltylakehouse.load.check.LakehouseCheck;
import io.loyaltylakehouse.load.check.MartsCheck;
import io.loyaltylakehouse.load.check.RealtimeCheck;
import io.loyaltylakehouse.load.check.UntilEqual;
import io.loyaltylakehouse.load.oracle.Truth;
import io.loyaltylakehouse.stack.StackProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Issue 14's end-to-end figure: {@code make load} of N events on a fresh whole stack until the dbt marts built on
 * them equal the ground truth, twice: cold (the first load on the fresh stack) and warm (the same load again right
 * after). Timed from each load's start: the last event sent; the real-time outputs equal the truth;
 * {@code iceberg.loyalty} equals the truth (polled side by side); then {@code dbt build}, as the hourly schedule runs
 * it; then the marts equal the truth. The same-run baseline is the load's own sending time: nothing downstream can be
 * correct before the last event is on the broker. Where the time goes while the load sends: each component's CPU
 * with its JIT compilers' share ({@link StackCpu}), and what edge-streams' stream thread waits for (a JFR recording).
 */
final class EndToEndBench {
    /** Where edge-streams' stream thread waits at a commit, by the frame that shows it (first match counts). */
    private static final Map<String, Predicate<String>> COMMIT_WAITS = commitWaits();

    private final Path repoDir;
    private final int events;
    private final int rate;
    private final Duration timeout;

    EndToEndBench(final Path repoDir, final int events, final int rate, final Duration timeout) {
        this.repoDir = repoDir;
        this.events = events;
        this.rate = rate;
        this.timeout = timeout;
    }

    private static Map<String, Predicate<String>> commitWaits() {
        final Map<String, Predicate<String>> waits = new LinkedHashMap<>();
        waits.put(
                "producer flush at commit: the broker acknowledging the transaction's records",
                frame -> frame.endsWith("RecordAccumulator.awaitFlushCompletion"));
        waits.put(
                "sendOffsetsToTransaction: the input offsets joining the transaction",
                frame -> frame.endsWith("KafkaProducer.sendOffsetsToTransaction"));
        waits.put("commitTransaction: EndTxn", frame -> frame.endsWith("KafkaProducer.commitTransaction"));
        return waits;
    }

    /** One load through the whole stack: when each stage equalled the truth, and what the stack did meanwhile. */
    private record Pass(
            String name,
            int users,
            Duration sent,
            Duration realtime,
            Duration lakehouse,
            Duration dbtBuild,
            Duration marts,
            Map<String, StackCpu.Use> cpu,
            Map<String, Duration> edgeParked,
            JfrProfile.Summary edgeProfile) {

        List<Duration> stages() {
            return List.of(sent, realtime, lakehouse, marts);
        }
    }

    BenchReport run() throws Exception {
        final Settings settings = Settings.load("load-generator");
        // The cold pass ends long enough ago that the warm one can run right after at full speed: a run starts after
        // the latest event time on the input topics, and one that reached now would be paced by the wall clock.
        final Duration span = settings.requireDuration("load.spacing").multipliedBy(events);
        final Pass cold =
                pass("cold", settings, Instant.now().minus(span.multipliedBy(2)).minus(Duration.ofMinutes(10)));
        final Pass warm = pass("warm", settings, null);
        final List<Pass> passes = List.of(cold, warm);

        final List<String> stageNames = List.of(
                "(a) baseline: the last event sent by make load",
                "real-time outputs (balances, ledger, alerts) equal the truth",
                "iceberg.loyalty (ledger, audit, alerts, late events) equals the truth",
                "**dbt marts equal the truth** (after one dbt build of " + seconds(cold.dbtBuild()) + " / "
                        + seconds(warm.dbtBuild()) + ")");
        final List<List<String>> rows = new ArrayList<>();
        for (int stage = 0; stage < stageNames.size(); stage++) {
            final List<String> row = new ArrayList<>(List.of(stageNames.get(stage)));
            for (final Pass pass : passes) {
                row.add(seconds(pass.stages().get(stage)));
                row.add(ratio(pass.stages().get(stage), pass.sent()));
            }
            rows.add(row);
        }
        final BenchReport report = new BenchReport("End to end: make load until the dbt marts are correct")
                .setting("stack", "every component as make up starts it (a fresh bench stack), the bench stack's ports")
                .setting(
                        "load",
                        String.format(
                                Locale.ROOT,
                                "make load --events %,d --rate %d (0: as fast as the ordering of a user's purchases"
                                        + " and redemptions allows), %,d and %,d users, every planted case",
                                events,
                                rate,
                                cold.users(),
                                warm.users()))
                .setting(
                        "passes",
                        "cold: the first load on the fresh stack, dated so that its event time ends before the warm"
                                + " one's begins; warm: the same load again right after (another run id), as a stack"
                                + " that has been running sees it")
                .setting(
                        "checks",
                        "RealtimeCheck and LakehouseCheck polled side by side from the last send; then "
                                + "dbt/bin/dbt build; then MartsCheck (analytics.user_points_balance and fct_points_ledger "
                                + "against the truth)")
                .table(
                        "Seconds from the load's start",
                        List.of("stage", "cold: seconds", "ratio to (a)", "warm: seconds", "ratio to (a)"),
                        rows)
                .table(
                        "CPU while make load sends (cold " + seconds(cold.sent()) + " s, warm " + seconds(warm.sent())
                                + " s; the machine has " + Runtime.getRuntime().availableProcessors() + " cores)",
                        List.of(
                                "process",
                                "cold: % of one core",
                                "of it JIT compiling",
                                "warm: % of one core",
                                "of it JIT compiling"),
                        cpuRows(cold, warm))
                .table(
                        "edge-streams' stream thread while make load sends (JFR: parks of 10 ms or more)",
                        List.of("waiting in", "cold: share of the sending", "warm: share of the sending"),
                        parkRows(cold, warm));
        for (final Pass pass : passes) {
            // the samples are of Java threads, so they share out the CPU less the JIT compilers'
            final StackCpu.Use edge = pass.cpu().getOrDefault("edge-streams", StackCpu.Use.NONE);
            final double cpuPerThousand = edge.cpu().minus(edge.jit()).toMillis() * 1000.0 / events;
            report.table(
                    "edge-streams' CPU samples while the " + pass.name() + " load sends (JFR), top libraries and"
                            + " threads; CPU per 1,000 events without the JIT compilers'",
                    List.of("by", "what", "share", "CPU ms / 1,000 events"),
                    Stream.concat(
                                    pass.edgeProfile().rows("library", 6, cpuPerThousand).stream(),
                                    pass.edgeProfile().rows("thread", 5, cpuPerThousand).stream())
                            .toList());
        }
        final Map<String, List<Double>> bars = new LinkedHashMap<>();
        passes.forEach(pass -> bars.put(
                pass.name() + " pass",
                pass.stages().stream().map(stage -> stage.toMillis() / 1000.0).toList()));
        return report.chart(
                        "end-to-end",
                        "seconds from the load's start until each stage equals the truth",
                        BenchChart.bars(
                                "make load of " + String.format(Locale.ROOT, "%,d", events)
                                        + " events: seconds from its start until each stage equals the truth",
                                "seconds",
                                List.of("(a) last event sent", "real-time outputs", "iceberg.loyalty", "dbt marts"),
                                bars))
                .note("The load generator runs in the bench JVM (" + StackCpu.THIS_JVM + " above). A user's"
                        + " redemption is sent only after edge-streams committed the user's purchase before it, so the"
                        + " sending waits whenever edge-streams' commits fall behind; each commit of edge-streams first"
                        + " waits for the broker to acknowledge the transaction's records (the flush above). JIT"
                        + " compiling is the CPU of the JVMs' C1 and C2 compiler threads (from /proc).")
                .note("For scale, not run here: a public Kafka + Flink + Iceberg + dbt demo takes 107 s for 10,000"
                        + " events (issue 14's target is 30 s). The lakehouse stage includes the reconciler's"
                        + " checkpoint interval, since Iceberg commits happen on checkpoints.");
    }

    /** One load from {@code loadStart} (null: the load generator's default, ending about now) until its marts. */
    private Pass pass(final String name, final Settings settings, final Instant loadStart) throws Exception {
        final Path truthFile = Files.createTempFile("bench-e2e-truth", ".json");
        final StackProcesses stack = StackProcesses.local();
        final JfrProfile edgeProfile = JfrProfile.ofProcess(
                stack.find("edge-streams").orElseThrow(() -> new IllegalStateException("edge-streams is not running")),
                Files.createTempFile("bench-e2e-edge", ".jfr"));
        final List<String> args = new ArrayList<>(List.of(
                "--events",
                Integer.toString(events),
                "--rate",
                Integer.toString(rate),
                "--truth",
                truthFile.toString()));
        if (loadStart != null) {
            args.addAll(List.of("--start", loadStart.toString()));
        }
        final StackCpu cpu = StackCpu.start(stack);
        final Instant start = Instant.now();
        final Truth truth = LoadGenerator.run(settings, args.toArray(String[]::new));
        final Duration sent = Duration.between(start, Instant.now());
        final Map<String, StackCpu.Use> cpuWhileSending = cpu.stop();
        final Path edgeRecording = edgeProfile.dump();
        final Map<String, Duration> edgeParked = JfrProfile.parked(
                edgeRecording,
                streamThreadOf(settings.require("load.order.consumer-group")),
                COMMIT_WAITS,
                "other parks");
        final JfrProfile.Summary edgeCpu = JfrProfile.Summary.of(edgeRecording);
        final CompletableFuture<Duration> realtime = CompletableFuture.supplyAsync(
                () -> untilEqual(start, () -> RealtimeCheck.differences(settings, truth)));
        final CompletableFuture<Duration> lakehouse = CompletableFuture.supplyAsync(
                () -> untilEqual(start, () -> LakehouseCheck.differences(settings, truth)));
        final Duration realtimeCorrect = realtime.get();
        final Duration lakehouseCorrect = lakehouse.get();
        final Instant dbtStart = Instant.now();
        dbtBuild();
        final Duration dbtTook = Duration.between(dbtStart, Instant.now());
        final List<String> marts = MartsCheck.differences(settings, truth);
        if (!marts.isEmpty()) {
            throw new IllegalStateException(name + " pass: " + marts.size()
                    + " differences between the marts and the truth, first: " + marts.get(0));
        }
        final Duration martsCorrect = Duration.between(start, Instant.now());
        Files.deleteIfExists(truthFile);
        return new Pass(
                name,
                truth.users().size(),
                sent,
                realtimeCorrect,
                lakehouseCorrect,
                dbtTook,
                martsCorrect,
                cpuWhileSending,
                edgeParked,
                edgeCpu);
    }

    /**
     * The stream threads of the application {@code applicationId} ("<id>-<client UUID>-StreamThread-<n>"), not those of
     * another application whose id starts with it (edge-streams' promotions dead-letter application).
     */
    private static Predicate<String> streamThreadOf(final String applicationId) {
        final Pattern name = Pattern.compile(Pattern.quote(applicationId) + "-[0-9a-f-]{36}-StreamThread-\\d+");
        return thread -> name.matcher(thread).matches();
    }

    private static List<List<String>> cpuRows(final Pass cold, final Pass warm) {
        final List<List<String>> rows = new ArrayList<>();
        for (final String process : cold.cpu().keySet()) {
            rows.add(List.of(
                    process,
                    percentOf(cold.cpu().get(process).cpu(), cold.sent()),
                    percentOf(cold.cpu().get(process).jit(), cold.sent()),
                    percentOf(
                            warm.cpu().getOrDefault(process, StackCpu.Use.NONE).cpu(), warm.sent()),
                    percentOf(
                            warm.cpu().getOrDefault(process, StackCpu.Use.NONE).jit(), warm.sent())));
        }
        final StackCpu.Use coldTotal = StackCpu.Use.sum(cold.cpu().values());
        final StackCpu.Use warmTotal = StackCpu.Use.sum(warm.cpu().values());
        rows.add(List.of(
                "**all**",
                "**" + percentOf(coldTotal.cpu(), cold.sent()) + "**",
                "**" + percentOf(coldTotal.jit(), cold.sent()) + "**",
                "**" + percentOf(warmTotal.cpu(), warm.sent()) + "**",
                "**" + percentOf(warmTotal.jit(), warm.sent()) + "**"));
        return rows;
    }

    private static List<List<String>> parkRows(final Pass cold, final Pass warm) {
        final List<List<String>> rows = new ArrayList<>();
        for (final String wait : cold.edgeParked().keySet()) {
            rows.add(List.of(
                    wait,
                    percentOf(cold.edgeParked().get(wait), cold.sent()),
                    percentOf(warm.edgeParked().get(wait), warm.sent())));
        }
        rows.add(List.of(
                "running, or parked for less than 10 ms",
                percentOf(unparked(cold), cold.sent()),
                percentOf(unparked(warm), warm.sent())));
        return rows;
    }

    private static Duration unparked(final Pass pass) {
        return pass.sent().minus(pass.edgeParked().values().stream().reduce(Duration.ZERO, Duration::plus));
    }

    private static String percentOf(final Duration part, final Duration whole) {
        return String.format(Locale.ROOT, "%.0f %%", 100.0 * part.toMillis() / Math.max(1, whole.toMillis()));
    }

    /** Time from {@code start} until the comparison finds no difference; polls twice a second, up to the timeout. */
    private Duration untilEqual(final Instant start, final UntilEqual.Comparison comparison) {
        try {
            final List<String> left = UntilEqual.await(comparison, timeout, Duration.ofMillis(500));
            if (!left.isEmpty()) {
                throw new IllegalStateException("not equal to the truth after " + timeout + ": " + left.size()
                        + " differences, first: " + left.get(0));
            }
            return Duration.between(start, Instant.now());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void dbtBuild() throws Exception {
        final Path log = Files.createTempFile("bench-e2e-dbt", ".log");
        final Process dbt = new ProcessBuilder(repoDir.resolve("dbt/bin/dbt").toString(), "build")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!dbt.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || dbt.exitValue() != 0) {
            dbt.destroyForcibly();
            throw new IllegalStateException("dbt build failed or timed out; see " + log);
        }
        Files.deleteIfExists(log);
    }

    private static String seconds(final Duration duration) {
        return String.format(Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    private static String ratio(final Duration stage, final Duration baseline) {
        return String.format(Locale.ROOT, "%.2f", stage.toMillis() / (double) Math.max(1, baseline.toMillis()));
    }
}
