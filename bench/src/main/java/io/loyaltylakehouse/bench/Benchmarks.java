package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code make bench}: runs the benchmarks named on the command line (default: all) against the bench
 * stack started by {@code bench/run}, and writes one markdown file each into {@code bench/results/}.
 */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(final String[] args) throws Exception {
        final Settings settings = Settings.load("bench");
        final Path repoDir = Path.of(settings.require("stack.repo.dir")).toAbsolutePath().normalize();
        final Path results = repoDir.resolve("bench/results");
        final List<String> selected = args.length == 0 ? List.of("edge-streams") : List.of(args);
        for (final String name : selected) {
            switch (name) {
                case "edge-streams" -> new EdgeStreamsBench(settings, repoDir, settings.requireInt("bench.edge.events"),
                        settings.requireInt("bench.edge.latency.rate"), settings.requireDuration("bench.edge.latency.duration"))
                        .run().write(results.resolve("edge-streams.md"));
                default -> throw new IllegalArgumentException("unknown benchmark '" + name + "'");
            }
        }
    }
}
