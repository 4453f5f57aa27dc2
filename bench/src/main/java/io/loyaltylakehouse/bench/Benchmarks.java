package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code make bench}: runs the benchmarks named on the command line (default: all registered) against the bench
 * stack started by {@code bench/run}, and writes one markdown file each into {@code bench/results/<name>.md}.
 */
public final class Benchmarks {
    /** Benchmarks that need every component running: {@code bench/run} runs them on a whole stack of their own. */
    static final List<String> WHOLE_STACK = List.of("end-to-end", "memory");

    private Benchmarks() {}

    public static void main(final String[] args) throws Exception {
        final Settings settings = Settings.load("bench");
        final Path repoDir =
                Path.of(settings.require("stack.repo.dir")).toAbsolutePath().normalize();
        final Map<String, Callable<BenchReport>> registered = registered(settings, repoDir);
        final List<String> selected = args.length == 0
                ? registered.keySet().stream()
                        .filter(name -> !WHOLE_STACK.contains(name))
                        .toList()
                : List.of(args);
        for (final String name : selected) {
            if (!registered.containsKey(name)) {
                throw new IllegalArgumentException(
                        "unknown benchmark '" + name + "' (known: " + registered.keySet() + ")");
            }
        }
        for (final String name : selected) {
            registered.get(name).call().write(repoDir.resolve("bench/results").resolve(name + ".md"));
        }
    }

    /** Every benchmark by name, in the order a full run takes them; sizes come from bench.properties. */
    static Map<String, Callable<BenchReport>> registered(final Settings settings, final Path repoDir) {
        final Map<String, Callable<BenchReport>> benchmarks = new LinkedHashMap<>();
        benchmarks.put(
                "edge-streams",
                () -> new EdgeStreamsBench(
                                settings,
                                repoDir,
                                settings.requireInt("bench.edge.events"),
                                settings.requireInt("bench.edge.latency.rate"),
                                settings.requireDuration("bench.edge.latency.duration"),
                                settings.requireInt("bench.edge.promotions.events"),
                                settings.get("bench.edge.compare.dir", "").isEmpty()
                                        ? null
                                        : Path.of(settings.require("bench.edge.compare.dir")),
                                settings.get("bench.edge.compare.label", "an earlier build"),
                                Arrays.stream(settings.get("bench.edge.variants", "")
                                                .split(";"))
                                        .filter(variant -> !variant.isBlank())
                                        .toList())
                        .run());
        benchmarks.put(
                "scrape-cost",
                () -> new ScrapeCostBench(
                                settings,
                                repoDir,
                                settings.requireInt("bench.scrape.events"),
                                settings.requireInt("bench.scrape.rounds"))
                        .run());
        benchmarks.put(
                "cdc-bridge",
                () -> new CdcBridgeBench(
                                settings,
                                repoDir,
                                settings.requireInt("bench.cdc.rows"),
                                settings.requireInt("bench.cdc.delay.rate"),
                                settings.requireDuration("bench.cdc.delay.duration"))
                        .run());
        benchmarks.put(
                "flink-reconciler",
                () -> new FlinkReconcilerBench(
                                settings,
                                settings.requireInt("bench.reconciler.events"),
                                settings.requireInt("bench.reconciler.legacy"),
                                settings.requireInt("bench.reconciler.freshness.rate"),
                                settings.requireDuration("bench.reconciler.freshness.duration"),
                                settings.requireDuration("bench.reconciler.checkpoint.interval"),
                                settings.requireInt("bench.reconciler.parallelism"))
                        .run());
        benchmarks.put(
                "dbt",
                () -> new DbtBench(
                                settings,
                                repoDir,
                                Arrays.stream(settings.require("bench.dbt.sizes")
                                                .split(","))
                                        .map(String::trim)
                                        .map(Long::parseLong)
                                        .toList())
                        .run());
        benchmarks.put(
                "end-to-end",
                () -> new EndToEndBench(
                                repoDir,
                                settings.requireInt("bench.e2e.events"),
                                settings.requireInt("bench.e2e.rate"),
                                settings.requireDuration("bench.e2e.timeout"))
                        .run());
        benchmarks.put(
                "memory",
                () -> new MemoryBench(
                                repoDir,
                                settings.requireInt("bench.memory.events"),
                                settings.requireInt("bench.memory.rate"),
                                settings.requireBoolean("bench.memory.dbt"))
                        .run());
        return benchmarks;
    }
}
