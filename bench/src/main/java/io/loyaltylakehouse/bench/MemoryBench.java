package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.stack.ModuleCommand;
import io.loyaltylakehouse.stack.StackMemory;
import io.loyaltylakehouse.stack.StackSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issues 12 and 13's memory figure: the whole stack's resident memory (PSS of every component with its child
 * processes, {@link StackMemory}, the same as {@code make memory}) after start, at its peak while {@code make load}
 * sends events and while {@code dbt build} runs through Trino, and two minutes after, when idle JVMs have returned
 * their unused heap. Runs on the whole stack ({@code bench/run memory} starts every component).
 */
final class MemoryBench {
    private static final Duration SAMPLE = Duration.ofSeconds(2);
    /** Issues 12 and 13: within 3.5 GB, read as GiB (the unit of the table's MiB). */
    private static final double LIMIT_GIB = 3.5;

    private final StackSettings stack;
    private final Path repoDir;
    private final int events;
    private final int rate;
    private final boolean dbtBuild;
    /** Each component's PSS per phase: the column of the phase in the table. */
    private final Map<String, Map<String, Long>> byPhase = new LinkedHashMap<>();

    MemoryBench(final Path repoDir, final int events, final int rate, final boolean dbtBuild) {
        this.stack = StackSettings.from(Settings.load("local-stack"));
        this.repoDir = repoDir;
        this.events = events;
        this.rate = rate;
        this.dbtBuild = dbtBuild;
    }

    BenchReport run() throws Exception {
        record("after start", StackMemory.measure(stack));
        final List<String> load = new ArrayList<>(ModuleCommand.of(
                        repoDir, "load-generator", "load-generator", "io.loyaltylakehouse.load.LoadGenerator", "512m")
                .orElseThrow(() -> new IllegalStateException("load-generator is not built: run `make build`")));
        load.addAll(List.of("--events", Integer.toString(events), "--rate", Integer.toString(rate)));
        // make load is a client of the stack: its own memory is not the stack's
        peakWhile("peak during make load", load, "load", false);
        if (dbtBuild) {
            // dbt is part of the stack whenever a schedule runs it (a child of Dagster's code server then)
            peakWhile(
                    "peak during dbt build",
                    List.of(repoDir.resolve("dbt/bin/dbt").toString(), "build"),
                    "dbt",
                    true);
        }
        TimeUnit.MINUTES.sleep(2);
        record("2 min later, idle", StackMemory.measure(stack));

        final List<String> phases = new ArrayList<>(byPhase.keySet());
        final List<String> header = new ArrayList<>(List.of("component"));
        phases.forEach(phase -> header.add(phase + ", MiB"));
        final List<List<String>> rows = new ArrayList<>();
        final List<String> components = new ArrayList<>();
        byPhase.values()
                .forEach(usage -> usage.keySet().stream()
                        .filter(name -> !components.contains(name))
                        .forEach(components::add));
        for (final String component : components) {
            final List<String> row = new ArrayList<>(List.of(component));
            phases.forEach(phase -> row.add(mib(byPhase.get(phase).getOrDefault(component, 0L))));
            rows.add(row);
        }
        final List<String> totals = new ArrayList<>(List.of("**total (PSS)**"));
        phases.forEach(phase -> totals.add("**" + mib(total(phase)) + "**"));
        rows.add(totals);
        final double peak = phases.stream().mapToLong(this::total).max().orElse(0) / 1073741824.0;
        return new BenchReport("Memory: the whole stack's resident memory (PSS)")
                .setting("stack", "every component (local-stack.properties stack.components), the bench stack's ports")
                .setting(
                        "measure",
                        "PSS of each component's process and its descendants from /proc/<pid>/smaps_rollup, "
                                + "summed (make memory); PostgreSQL's server processes with its wrapper; sampled every "
                                + SAMPLE.toSeconds() + " s, the peak is the largest total")
                .setting(
                        "load",
                        String.format(
                                "make load --events %,d --rate %,d (the load generator's own memory not counted)",
                                events, rate))
                .setting(
                        "dbt",
                        dbtBuild ? "dbt/bin/dbt build (as the hourly schedule runs it), counted as a row" : "not run")
                .table("Resident memory per component", header, rows)
                .table(
                        "Against the limit (issues 12 and 13: within 3.5 GB)",
                        List.of("peak total", "limit", "margin"),
                        List.of(List.of(
                                String.format("%.2f GiB (%.2f GB)", peak, peak * 1.073741824),
                                String.format("%.2f GiB", LIMIT_GIB),
                                String.format("%.2f GiB", LIMIT_GIB - peak))))
                .chart(
                        "memory",
                        "resident memory per component and phase",
                        BenchChart.bars(
                                "The stack's resident memory (PSS) per component",
                                "MiB",
                                components,
                                phasesByComponent(phases, components)))
                .note(
                        "PSS divides each shared page among the processes that map it, so the total counts every page once "
                                + "(RSS would count the shared libraries of the 20 PostgreSQL processes 20 times). The JVMs with G1 "
                                + "collect after a minute idle and return the unused heap down to 30% free (-XX:G1PeriodicGCInterval, -XX:MaxHeapFreeRatio).");
    }

    /** Runs {@code command} to its end, sampling the stack (with the command's own processes as {@code name}). */
    private void peakWhile(final String phase, final List<String> command, final String name, final boolean counted)
            throws Exception {
        final Path log = Files.createTempFile("bench-memory-" + name, ".log");
        final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Map<String, Long> peak = Map.of();
        long peakTotal = -1;
        while (!process.waitFor(SAMPLE.toMillis(), TimeUnit.MILLISECONDS)) {
            final Map<String, Long> sample = asMap(StackMemory.measure(stack));
            if (counted) {
                sample.put(name, StackMemory.pss(process.toHandle()));
            }
            final long total =
                    sample.values().stream().mapToLong(Long::longValue).sum();
            if (total > peakTotal) {
                peakTotal = total;
                peak = sample;
            }
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " exited " + process.exitValue() + "; see " + log);
        }
        byPhase.put(phase, peak);
    }

    /** Each phase's MiB per component, in the components' order: the bars of the chart. */
    private Map<String, List<Double>> phasesByComponent(final List<String> phases, final List<String> components) {
        final Map<String, List<Double>> out = new LinkedHashMap<>();
        for (final String phase : phases) {
            out.put(
                    phase,
                    components.stream()
                            .map(component -> byPhase.get(phase).getOrDefault(component, 0L) / 1048576.0)
                            .toList());
        }
        return out;
    }

    private void record(final String phase, final List<StackMemory.Usage> usages) {
        byPhase.put(phase, asMap(usages));
    }

    private static Map<String, Long> asMap(final List<StackMemory.Usage> usages) {
        final Map<String, Long> out = new LinkedHashMap<>();
        usages.forEach(usage -> out.put(usage.component(), usage.pssBytes()));
        return out;
    }

    private long total(final String phase) {
        return byPhase.get(phase).values().stream().mapToLong(Long::longValue).sum();
    }

    private static String mib(final long bytes) {
        return String.format("%,.0f", bytes / 1048576.0);
    }
}
