package io.loyaltylakehouse.load.chaos;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.load.LoadGenerator;
import io.loyaltylakehouse.load.check.LakehouseCheck;
import io.loyaltylakehouse.load.check.RealtimeCheck;
import io.loyaltylakehouse.load.check.UntilEqual;
import io.loyaltylakehouse.load.oracle.Truth;
import io.loyaltylakehouse.stack.StackProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code make chaos}: a {@code make load} with ground truth while the stack's components are killed with SIGKILL
 * ({@code kill -9}) on a schedule, one after the other, evenly over the load's expected duration. Then it waits for
 * the pipeline to settle and compares every user's real-time balance (and the rest of edge-streams' outputs) and
 * every user's lakehouse rows with the truth. It prints and writes (to {@code chaos.results}) the mismatches (0 is
 * the only pass), each component's time to recover (kill until healthy again), and the end-to-end freshness during
 * the run: how long after a probe purchase was sent its balance showed in the API and its row in Trino.
 *
 * <p>Options are {@code make load}'s ({@code --events --rate --seed ...}); settings {@code chaos.*} in
 * load-generator.properties. Exit code 0 only with no mismatch and every listed component killed and recovered.
 */
public final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);

    private ChaosRun() {}

    /**
     * One kill: when, which process, how long until the component was healthy again (null: never), and how many
     * events the load had sent when it was killed and by the time it was healthy again.
     */
    public record Kill(String component, Instant at, long pid, Duration recovery, long sentAtKill, long sentRecovered) {
        /** Events sent while the component recovered. */
        long sentWhileRecovering() {
            return sentRecovered - sentAtKill;
        }
    }

    /** Everything a chaos run found. */
    public record Result(
            Truth truth,
            List<Kill> kills,
            List<String> missing,
            List<String> mismatches,
            Freshness.Summary freshness,
            double rate,
            Duration loading,
            Duration allUp,
            long sentWhileAllUp,
            Duration settle,
            List<String> killedAfterLoad) {
        public boolean passed() {
            return mismatches.isEmpty()
                    && missing.isEmpty()
                    && killedAfterLoad.isEmpty()
                    && kills.stream().allMatch(kill -> kill.recovery() != null);
        }
    }

    public static void main(final String[] args) {
        try {
            final Settings settings = Settings.load("load-generator");
            final Result result = run(settings, args);
            final String report = ChaosReport.markdown(result);
            System.out.println(report);
            final Path file = Path.of(settings.require("chaos.results"));
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, report);
            System.out.println((result.passed() ? "PASS" : "FAIL") + ": "
                    + result.mismatches().size() + " mismatches, "
                    + result.kills().size() + " kills; results in " + file);
            System.exit(result.passed() ? 0 : 1);
        } catch (final IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (final Exception e) {
            LOG.error("chaos run failed: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    public static Result run(final Settings base, final String... args) throws Exception {
        final double rate = Double.parseDouble(base.with(optionValues(args)).require("rate"));
        final Map<String, String> chaos = new java.util.HashMap<>();
        // the pipeline stops consuming while a component restarts: the ordering barrier waits that long
        chaos.put("load.order.timeout", base.require("chaos.order-timeout"));
        if (rate > 0) {
            chaos.put("load.spacing", spacing(base.requireDuration("chaos.event-time-per-second"), rate));
        }
        final Settings settings = base.with(chaos);
        final StackProcesses stack = StackProcesses.local();
        final List<String> victims = List.of(
                        settings.require("chaos.components").split(","))
                .stream()
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .toList();
        final List<String> missing = new ArrayList<>();
        for (final String victim : victims) {
            if (!stack.names().contains(victim) || stack.find(victim).isEmpty()) {
                missing.add(victim + ": not running in this stack (chaos.components lists it)");
            }
        }
        final long events = settings.with(optionValues(args)).requireLong("events");
        final Duration expected = rate > 0
                ? Duration.ofMillis((long) (events * 1000 / rate))
                : settings.requireDuration("chaos.kill-every").multipliedBy(victims.size() + 1);
        final Duration spacing = expected.dividedBy(victims.size() + 1);
        LOG.info(
                "chaos: {} events at {} ev/s (~{} s); killing {} every {} s",
                events,
                rate,
                expected.toSeconds(),
                victims,
                spacing.toSeconds());

        final Freshness freshness = new Freshness(settings, settings.requireDuration("chaos.probe-every"));
        freshness.start();
        final AtomicLong sent = new AtomicLong();
        final AtomicReference<Instant> sendsEnded = new AtomicReference<>();
        final CompletableFuture<Truth> load = CompletableFuture.supplyAsync(() -> {
            try {
                final Truth run = LoadGenerator.run(settings, sent::set, args);
                sendsEnded.set(Instant.now());
                return run;
            } catch (final Exception e) {
                throw new IllegalStateException("the load run failed: " + e.getMessage(), e);
            }
        });
        final List<Kill> kills = new ArrayList<>();
        final Duration recoveryTimeout = settings.requireDuration("chaos.recovery-timeout");
        // Kill times are fixed up front (start + i x spacing), so a slow recovery cannot push the later kills past
        // the end of the load.
        final Instant started = Instant.now();
        for (int i = 0; i < victims.size(); i++) {
            final String victim = victims.get(i);
            if (missing.stream().anyMatch(line -> line.startsWith(victim + ":"))) {
                continue;
            }
            final Duration wait = Duration.between(Instant.now(), started.plus(spacing.multipliedBy(i + 1)));
            if (!wait.isNegative()) {
                Thread.sleep(wait.toMillis());
            }
            kills.add(kill(stack, victim, recoveryTimeout, sent));
        }
        final Truth truth =
                load.get(settings.requireDuration("chaos.load-timeout").toMillis(), TimeUnit.MILLISECONDS);
        final Instant loaded = sendsEnded.get();
        final Duration loading = Duration.between(started, loaded);
        // a kill after the last send tests a restart, not the pipeline under load: the run does not count it
        final List<String> killedAfterLoad = kills.stream()
                .filter(kill -> !kill.at().isBefore(loaded))
                .map(Kill::component)
                .toList();
        final List<String> mismatches = settle(settings, truth, settings.requireDuration("chaos.settle-timeout"));
        final Duration settle = Duration.between(loaded, Instant.now());
        freshness.stop();
        // the recovery windows never overlap (each kill waits for the one before); one may outlast the load
        final Duration recovering = kills.stream()
                .filter(kill -> kill.recovery() != null && kill.at().isBefore(loaded))
                .map(kill -> Duration.between(kill.at(), min(kill.at().plus(kill.recovery()), loaded)))
                .reduce(Duration.ZERO, Duration::plus);
        final long sentWhileRecovering = kills.stream()
                .filter(kill -> kill.recovery() != null)
                .mapToLong(Kill::sentWhileRecovering)
                .sum();
        return new Result(
                truth,
                kills,
                missing,
                mismatches,
                freshness.summary(),
                rate,
                loading,
                loading.minus(recovering),
                truth.run().events() - sentWhileRecovering,
                settle,
                killedAfterLoad);
    }

    /** SIGKILL to the component's process (only if it is ours), then waits for it to be healthy again. */
    private static Kill kill(
            final StackProcesses stack, final String name, final Duration timeout, final AtomicLong sent)
            throws InterruptedException {
        final Optional<ProcessHandle> process = stack.find(name);
        if (process.isEmpty()) {
            LOG.warn("chaos: {} has no process to kill right now", name);
            return new Kill(name, Instant.now(), -1, null, sent.get(), sent.get());
        }
        final Instant at = Instant.now();
        final long sentAtKill = sent.get();
        process.get().destroyForcibly();
        LOG.info("chaos: killed {} (pid {}) with SIGKILL", name, process.get().pid());
        process.get().onExit().join();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stack.find(name)
                            .filter(handle -> handle.pid() != process.get().pid())
                            .isPresent()
                    && stack.healthy(name)) {
                final Duration recovery = Duration.between(at, Instant.now());
                LOG.info("chaos: {} healthy again after {} s", name, recovery.toMillis() / 1000.0);
                return new Kill(name, at, process.get().pid(), recovery, sentAtKill, sent.get());
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        LOG.error("chaos: {} not healthy {} after its kill", name, timeout);
        return new Kill(name, at, process.get().pid(), null, sentAtKill, sent.get());
    }

    /** Compares until real time and lakehouse both equal the truth, or the timeout; the last differences. */
    static List<String> settle(final Settings settings, final Truth truth, final Duration timeout)
            throws InterruptedException {
        return UntilEqual.await(
                () -> {
                    final List<String> differences = new ArrayList<>(RealtimeCheck.differences(settings, truth));
                    differences.addAll(LakehouseCheck.differences(settings, truth));
                    return differences;
                },
                timeout,
                Duration.ofSeconds(5));
    }

    /** The mean event time between two events so that event time runs {@code perSecond} per second at {@code rate}. */
    static String spacing(final Duration perSecond, final double rate) {
        return Math.max(1, Math.round(perSecond.toMillis() / rate)) + "ms";
    }

    private static Instant min(final Instant a, final Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The values of {@code --events/--rate} among the load options, for the kill schedule. */
    private static Map<String, String> optionValues(final String... args) {
        final Map<String, String> values = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            for (final String name : List.of("events", "rate")) {
                if (args[i].equals("--" + name) && i + 1 < args.length) {
                    values.put(name, args[i + 1]);
                } else if (args[i].startsWith("--" + name + "=")) {
                    values.put(name, args[i].substring(name.length() + 3));
                }
            }
        }
        return values;
    }

    static String seconds(final Duration duration) {
        return duration == null ? "never" : String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }
}
