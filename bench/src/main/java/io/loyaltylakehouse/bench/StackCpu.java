package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.stack.StackProcesses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU time each component of the running stack used over a window, as the OS counts it (user and system time of
 * its processes, {@link StackProcesses#processTrees}, alive at the window's end), and this JVM's own; of it, the time
 * of the JVMs' JIT compiler threads. A process that ended within the window is not counted.
 */
final class StackCpu {
    /** The name this JVM's own CPU is reported under. */
    static final String THIS_JVM = "this bench JVM";

    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ, 100 on Linux

    /** CPU time, and the part of it the JIT compiler threads took. */
    record Use(Duration cpu, Duration jit) {
        static final Use NONE = new Use(Duration.ZERO, Duration.ZERO);

        Use plus(final Use other) {
            return new Use(cpu.plus(other.cpu), jit.plus(other.jit));
        }

        Use minus(final Use other) {
            return new Use(cpu.minus(other.cpu), jit.minus(other.jit));
        }

        static Use sum(final Collection<Use> uses) {
            return uses.stream().reduce(NONE, Use::plus);
        }
    }

    private final StackProcesses stack;
    private final Map<Long, Use> atStart;

    private StackCpu(final StackProcesses stack, final Map<Long, Use> atStart) {
        this.stack = stack;
        this.atStart = atStart;
    }

    static StackCpu start(final StackProcesses stack) {
        final Map<Long, Use> atStart = new HashMap<>();
        processes(stack)
                .values()
                .forEach(processes -> processes.forEach(process -> atStart.put(process.pid(), use(process))));
        return new StackCpu(stack, atStart);
    }

    /** CPU since {@link #start} by component, in the stack's order, then this JVM's. */
    Map<String, Use> stop() {
        final Map<String, Use> used = new LinkedHashMap<>();
        processes(stack)
                .forEach((name, processes) -> used.put(
                        name,
                        Use.sum(processes.stream()
                                .map(process -> use(process).minus(atStart.getOrDefault(process.pid(), Use.NONE)))
                                .toList())));
        return used;
    }

    /**
     * CPU time of a JVM's live JIT compiler threads, read from /proc (the JVM's own compilation time is elapsed time,
     * which waiting for a core inflates on a busy machine); zero for a process without them. The JVM starts and stops
     * compiler threads on demand and an ended thread's time leaves /proc with it, so a difference of two readings is a
     * lower bound of the compiling in between (slightly below zero when a busy compiler thread ended).
     */
    static Duration jitCpu(final ProcessHandle process) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (final Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    // "C1 CompilerThread0", "C2 CompilerThread1", ... cut to 15 characters
                    if (!Files.readString(task.resolve("comm")).matches("C[12] CompilerThre\\s*")) {
                        continue;
                    }
                    final String stat = Files.readString(task.resolve("stat"));
                    final String[] fields =
                            stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                } catch (final IOException gone) {
                    // a compiler thread that ended between listing and reading
                }
            }
        } catch (final NoSuchFileException gone) {
            return Duration.ZERO;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        return Duration.ofNanos(ticks * NANOS_PER_TICK);
    }

    private static Map<String, List<ProcessHandle>> processes(final StackProcesses stack) {
        final Map<String, List<ProcessHandle>> processes = new LinkedHashMap<>(stack.processTrees());
        processes.put(THIS_JVM, List.of(ProcessHandle.current()));
        return processes;
    }

    private static Use use(final ProcessHandle process) {
        return new Use(process.info().totalCpuDuration().orElse(Duration.ZERO), jitCpu(process));
    }
}
