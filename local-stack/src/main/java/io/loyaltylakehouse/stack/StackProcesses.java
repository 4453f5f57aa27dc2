package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The running local stack as another tool sees it ({@code make chaos}, {@code make memory}, the bench): which
 * components it has, the process of each (only when its PID file names a process carrying the component's marker)
 * and all the processes it runs, and whether each is healthy.
 */
public final class StackProcesses {
    private final StackSettings stack;
    private final ProcessRegistry registry;

    private StackProcesses(final StackSettings stack) {
        this.stack = stack;
        this.registry = new ProcessRegistry(stack.runDir());
    }

    /** The stack the environment points at (DATA_DIR, ports), as {@code make status} sees it. */
    public static StackProcesses local() {
        return of(StackSettings.from(Settings.load("local-stack")));
    }

    public static StackProcesses of(final StackSettings stack) {
        return new StackProcesses(stack);
    }

    public List<String> names() {
        return Components.all(stack).stream().map(Component::name).toList();
    }

    /** The component's live process, if the stack started it and it is still ours. */
    public Optional<ProcessHandle> find(final String name) {
        return registry.find(name);
    }

    /**
     * The processes of the supervisor (alone: its descendants are the components) and of each running component with
     * its descendants (a Dagster run and its dbt under the code server), in start order. PostgreSQL's server detaches
     * from its wrapper ({@code pg_ctl}), so its postmaster (from {@code postmaster.pid}) and backends count with the
     * wrapper.
     */
    public Map<String, List<ProcessHandle>> processTrees() {
        final List<String> names = new ArrayList<>(List.of("supervisor"));
        names.addAll(names());
        final Map<String, List<ProcessHandle>> trees = new LinkedHashMap<>();
        for (final String name : names) {
            registry.find(name)
                    .ifPresent(handle -> trees.put(
                            name,
                            switch (name) {
                                case "supervisor" -> List.of(handle);
                                case "postgres" ->
                                    Stream.concat(
                                                    withDescendants(handle),
                                                    postmaster().stream().flatMap(StackProcesses::withDescendants))
                                            .toList();
                                default -> withDescendants(handle).toList();
                            }));
        }
        return trees;
    }

    /** A process and all its descendants. */
    static Stream<ProcessHandle> withDescendants(final ProcessHandle handle) {
        return Stream.concat(Stream.of(handle), handle.descendants());
    }

    /** The PostgreSQL server's main process, named by the first line of its {@code postmaster.pid}. */
    private Optional<ProcessHandle> postmaster() {
        try {
            final List<String> lines = Files.readAllLines(stack.dataDir().resolve("postgres/postmaster.pid"));
            return lines.isEmpty()
                    ? Optional.empty()
                    : ProcessHandle.of(Long.parseLong(lines.get(0).trim()));
        } catch (final IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean healthy(final String name) {
        return Components.all(stack).stream()
                .filter(component -> component.name().equals(name))
                .findFirst()
                .map(component -> component.health().healthy())
                .orElse(false);
    }
}
