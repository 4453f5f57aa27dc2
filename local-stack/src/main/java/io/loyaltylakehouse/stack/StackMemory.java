package io.loyaltylakehouse.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack's resident memory per component: the proportional set size (PSS, from {@code /proc/<pid>/smaps_rollup})
 * of each component's processes ({@link StackProcesses#processTrees}), so pages shared between processes count once
 * in the total. Behind {@code make memory} and the memory line of {@code make status}; the bench's memory figures
 * come from it too.
 */
public final class StackMemory {
    /** One component's processes and their summed PSS. */
    public record Usage(String component, int processes, long pssBytes) {}

    private StackMemory() {}

    /** Every running component of the stack (and the supervisor), in start order. */
    public static List<Usage> measure(final StackSettings stack) {
        final List<Usage> out = new ArrayList<>();
        StackProcesses.of(stack)
                .processTrees()
                .forEach((name, processes) -> out.add(new Usage(
                        name,
                        processes.size(),
                        processes.stream().mapToLong(StackMemory::pssBytes).sum())));
        return out;
    }

    /** The PSS of a process and all its descendants. */
    public static long pss(final ProcessHandle root) {
        return StackProcesses.withDescendants(root)
                .mapToLong(StackMemory::pssBytes)
                .sum();
    }

    public static long total(final List<Usage> usages) {
        return usages.stream().mapToLong(Usage::pssBytes).sum();
    }

    /** A process's PSS; 0 when it has just exited or its smaps are not readable. */
    static long pssBytes(final ProcessHandle process) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "smaps_rollup")).stream()
                            .filter(line -> line.startsWith("Pss:"))
                            .findFirst()
                            .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                            .orElse(0L)
                    * 1024;
        } catch (final IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The {@code make memory} table: one line per component, then the total. */
    static void print(final List<Usage> usages) {
        System.out.printf("%-19s %9s %10s%n", "component", "processes", "PSS MiB");
        usages.forEach(usage -> System.out.printf(
                "%-19s %9d %10.0f%n", usage.component(), usage.processes(), usage.pssBytes() / 1048576.0));
        System.out.printf(
                "%-19s %9d %10.0f%n",
                "total", usages.stream().mapToInt(Usage::processes).sum(), total(usages) / 1048576.0);
    }
}
