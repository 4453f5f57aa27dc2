package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import java.util.List;
import java.util.Optional;

/**
 * The running local stack as another tool sees it ({@code make chaos}): which components it has, the process of
 * each (only when its PID file names a process carrying the component's marker), and whether each is healthy.
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
        return new StackProcesses(StackSettings.from(Settings.load("local-stack")));
    }

    public List<String> names() {
        return Components.all(stack).stream().map(Component::name).toList();
    }

    /** The component's live process, if the stack started it and it is still ours. */
    public Optional<ProcessHandle> find(final String name) {
        return registry.find(name);
    }

    public boolean healthy(final String name) {
        return Components.all(stack).stream()
                .filter(component -> component.name().equals(name))
                .findFirst()
                .map(component -> component.health().healthy())
                .orElse(false);
    }
}
