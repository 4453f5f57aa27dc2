package io.loyaltylakehouse.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The stack's resident memory per component: the proportional set size (PSS, from {@code /proc/<pid>/smaps_rollup})
 * of each component's process and all its descendants (a Dagster run and its dbt under the code server), so pages
 * shared between processes count once in the total. PostgreSQL's server detaches from its wrapper ({@code pg_ctl}),
 * so its postmaster (from {@code postmaster.pid}) and backends count with the wrapper; the supervisor counts alone
 * (its descendants are the components). Behind
 * {@code make memory} and the memory line of {@code make status}; the bench's memory figures come from it too.
 */
public final class StackMemory {
    /** One component's processes and their summed PSS. */
    public record Usage(String component, int processes, long pssBytes) {}

    private StackMemory() {}

    /** Every running component of the stack (and the supervisor), in start order. */
    public static List<Usage> measure(final StackSettings stack) {
        final ProcessRegistry registry = new ProcessRegistry(stack.runDir());
        final List<String> names = new ArrayList<>(List.of("supervisor"));
        Components.all(stack).forEach(component -> names.add(component.name()));
        final List<Usage> out = new ArrayList<>();
        for (final String name : names) {
            registry.find(name).ifPresent(handle -> {
                final List<ProcessHandle> processes = switch (name) {
                    case "supervisor" -> List.of(handle);
                    case "postgres" ->
                        Stream.concat(
                                        withDescendants(handle),
                                        postmaster(stack).stream().flatMap(StackMemory::withDescendants))
                                .toList();
                    default -> withDescendants(handle).toList();
                };
                out.add(new Usage(
                        name,
                        processes.size(),
                        processes.stream().mapToLong(StackMemory::pssBytes).sum()));
            });
        }
        return out;
    }

    private static Stream<ProcessHandle> withDescendants(final ProcessHandle handle) {
        return Stream.concat(Stream.of(handle), handle.descendants());
    }

    /** The PostgreSQL server's main process, named by the first line of its {@code postmaster.pid}. */
    private static java.util.Optional<ProcessHandle> postmaster(final StackSettings stack) {
        try {
            final List<String> lines = Files.readAllLines(stack.dataDir().resolve("postgres/postmaster.pid"));
            return lines.isEmpty()
                    ? java.util.Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (final IOException | NumberFormatException e) {
            return java.util.Optional.empty();
        }
    }

    /** The PSS of a process and all its descendants. */
    public static long pss(final ProcessHandle root) {
        return withDescendants(root).mapToLong(StackMemory::pssBytes).sum();
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
