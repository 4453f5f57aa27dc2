package io.loyaltylakehouse.load.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The chaos run's figures as Markdown: what ran, each kill and its recovery, freshness, mismatches. */
final class ChaosReport {
    private static final int LISTED_MISMATCHES = 50;

    private ChaosReport() {}

    static String markdown(final ChaosRun.Result result) {
        final StringBuilder out = new StringBuilder();
        final var run = result.truth().run();
        out.append("# make chaos\n\n");
        out.append(String.format(
                Locale.ROOT,
                "Run `%s` at %s: %d events (seed %d), %d users, asked at %.0f ev/s and sent in %s (%.0f ev/s: a"
                        + " user's redemption waits until edge-streams consumed the purchase before it, also while"
                        + " edge-streams or the broker restarts); %s; then compared with the truth until equal (%s"
                        + " after the load).%n%n",
                run.runId(),
                Instant.now(),
                run.events(),
                run.seed(),
                result.truth().users().size(),
                result.rate(),
                ChaosRun.seconds(result.loading()),
                run.events() * 1000.0 / Math.max(1, result.loading().toMillis()),
                result.killedAfterLoad().isEmpty()
                        ? "every listed component killed with SIGKILL once during the load"
                        : "killed only after the load had sent its last event, so not counted (FAIL): "
                                + String.join(", ", result.killedAfterLoad()),
                ChaosRun.seconds(result.settle())));
        out.append("| component | killed at | pid | time to recover (kill to healthy) | events sent while it recovered"
                + " | ev/s while it recovered |\n|---|---|---|---|---|---|\n");
        for (final ChaosRun.Kill kill : result.kills()) {
            out.append("| ")
                    .append(kill.component())
                    .append(" | ")
                    .append(kill.at())
                    .append(" | ")
                    .append(kill.pid())
                    .append(" | ")
                    .append(ChaosRun.seconds(kill.recovery()))
                    .append(" | ")
                    .append(kill.sentWhileRecovering())
                    .append(" | ")
                    .append(kill.recovery() == null ? "-" : rate(kill.sentWhileRecovering(), kill.recovery()))
                    .append(" |\n");
        }
        result.missing().forEach(line -> out.append("| ").append(line).append(" | | | not killed | | |\n"));
        out.append(String.format(
                Locale.ROOT,
                "%nWhile no component was recovering: %s events in %s, %s ev/s (asked: %.0f).%n",
                result.sentWhileAllUp(),
                ChaosRun.seconds(result.allUp()),
                rate(result.sentWhileAllUp(), result.allUp()),
                result.rate()));
        final Freshness.Summary freshness = result.freshness();
        out.append("\nEnd-to-end freshness during the run (")
                .append(freshness.probes())
                .append(" probe purchases, ")
                .append(freshness.unseen())
                .append(" never seen):\n\n| path | p50 | p95 | max |\n|---|---|---|---|\n");
        out.append(row("sent -> balance API", freshness.realtime()));
        out.append(row("sent -> iceberg.loyalty.points_ledger (Trino)", freshness.lakehouse()));
        out.append("\nMismatches with the ground truth (real-time balances and outputs, every user's lakehouse rows,"
                        + " audit): **")
                .append(result.mismatches().size())
                .append("**")
                .append(result.passed() ? " (PASS)\n" : " (FAIL)\n");
        result.mismatches().stream()
                .limit(LISTED_MISMATCHES)
                .forEach(line -> out.append("- ").append(line).append('\n'));
        if (!run.orderHeld()) {
            out.append("\nThe ordering barrier timed out during the run: redemption outcomes may depend on timing.\n");
        }
        return out.toString();
    }

    private static String rate(final long events, final Duration during) {
        return String.format(Locale.ROOT, "%.0f", events * 1000.0 / Math.max(1, during.toMillis()));
    }

    private static String row(final String path, final List<Duration> samples) {
        if (samples.isEmpty()) {
            return "| " + path + " | - | - | - |\n";
        }
        final List<Duration> sorted = new ArrayList<>(samples);
        sorted.sort(null);
        return "| " + path + " | " + ChaosRun.seconds(percentile(sorted, 0.5)) + " | "
                + ChaosRun.seconds(percentile(sorted, 0.95)) + " | " + ChaosRun.seconds(sorted.get(sorted.size() - 1))
                + " |\n";
    }

    private static Duration percentile(final List<Duration> sorted, final double share) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(share * sorted.size()) - 1));
    }
}
