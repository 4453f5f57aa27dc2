package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The command line behind {@code make up|down|status|clean}. {@code up} starts the {@link Supervisor}
 * in its own session (so it outlives the terminal) and waits until every component is healthy;
 * {@code down} stops the supervisor, which stops its children, then anything its PID files still name.
 */
public final class LocalStack {
    private static final String SUPERVISOR = "supervisor";
    private static final Duration UP_TIMEOUT = Duration.ofMinutes(6);

    private final StackSettings stack;
    private final ProcessRegistry registry;

    LocalStack(final StackSettings stack) {
        this.stack = stack;
        this.registry = new ProcessRegistry(stack.runDir());
    }

    int up() throws Exception {
        final long started = System.nanoTime();
        final LocalSecrets secrets = new LocalSecrets(stack.dataDir());
        secrets.ensure();
        if (registry.find(SUPERVISOR).isEmpty()) {
            Files.createDirectories(stack.logDir());
            final List<String> command = new ArrayList<>(List.of(
                    "setsid",
                    ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx128m",
                    Component.marker(SUPERVISOR)));
            command.addAll(JavaOptions.SMALL_SERVICE);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Supervisor.class.getName()));
            final ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(stack.repoDir().toFile())
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            stack.logDir().resolve("supervisor.log").toFile()));
            builder.environment().putAll(Components.environment(stack));
            final Process supervisor = builder.start();
            registry.write(SUPERVISOR, supervisor.pid());
            System.out.println("starting the local lakehouse (logs in " + stack.logDir() + ")");
        }
        final Instant deadline = Instant.now().plus(UP_TIMEOUT);
        List<Component> pending = pendingComponents();
        while (!pending.isEmpty()) {
            if (registry.find(SUPERVISOR).isEmpty()) {
                System.err.println("the stack failed to start; last lines of "
                        + stack.logDir().resolve("supervisor.log") + ":");
                tail(stack.logDir().resolve("supervisor.log"), 15).forEach(System.err::println);
                return 1;
            }
            if (Instant.now().isAfter(deadline)) {
                System.err.println("not healthy after " + UP_TIMEOUT.toMinutes() + " minutes: "
                        + pending.stream().map(Component::name).toList() + "; see " + stack.logDir());
                return 1;
            }
            TimeUnit.MILLISECONDS.sleep(500);
            pending = pendingComponents();
        }
        System.out.printf("local lakehouse is up (%.1f s)%n", (System.nanoTime() - started) / 1e9);
        System.out.println("Trino logins (analyst, dbt, loyalty_admin): " + secrets.credentialsFile()
                + "; Trino's certificate: " + secrets.certificate());
        return status();
    }

    /** Components that should be running (built ones) and are not healthy yet. */
    private List<Component> pendingComponents() {
        return Components.all(stack).stream()
                .filter(component -> component.command().isPresent())
                .filter(component -> !component.health().healthy())
                .toList();
    }

    int down() {
        registry.find(SUPERVISOR).ifPresent(handle -> {
            System.out.println("stopping the local lakehouse");
            ProcessRegistry.stop(SUPERVISOR, handle, Duration.ofMinutes(2));
        });
        registry.remove(SUPERVISOR);
        registry.stopLeftovers(Components.all(stack));
        System.out.println("local lakehouse stopped (data kept in " + stack.dataDir() + ")");
        return 0;
    }

    int clean() throws IOException {
        down();
        if (Files.exists(stack.dataDir())) {
            try (Stream<Path> files = Files.walk(stack.dataDir())) {
                files.sorted(Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        }
        System.out.println("removed " + stack.dataDir());
        return 0;
    }

    /**
     * One line per component: up, start (its process runs but is not healthy yet), down, gave-up (the supervisor
     * stopped restarting it; the reason follows) or n/a (not built). Exit code 0 only when everything is up.
     */
    int status() {
        final boolean supervised = registry.find(SUPERVISOR).isPresent();
        System.out.printf(
                "%-17s %-7s %s%n",
                "supervisor",
                supervised ? "up" : "down",
                registry.find(SUPERVISOR).map(handle -> "pid " + handle.pid()).orElse(""));
        final Map<String, Supervisor.ComponentState> states = supervised
                ? Supervisor.readState(stack.runDir())
                        .map(Supervisor.StackState::components)
                        .orElse(Map.of())
                : Map.of();
        int down = supervised ? 0 : 1;
        for (final Component component : Components.all(stack)) {
            final Supervisor.ComponentState known = states.get(component.name());
            final boolean gaveUp = known != null && Supervisor.ComponentState.GAVE_UP.equals(known.state());
            final boolean built = component.command().isPresent();
            final boolean healthy = built && !gaveUp && component.health().healthy();
            final String state = stateOf(
                    built, healthy, built && registry.find(component.name()).isPresent(), known);
            if (!state.equals("up") && !state.equals("n/a")) {
                down++;
            }
            System.out.printf(
                    "%-17s %-7s %-28s %s%n",
                    component.name(),
                    state,
                    component.endpoint(),
                    component.command().isEmpty()
                            ? "(not built)"
                            : gaveUp ? known.reason() : StatusDetails.of(stack, component.name()));
        }
        final List<StackMemory.Usage> memory = StackMemory.measure(stack);
        System.out.printf(
                "%-17s %.2f GB resident (PSS) in %d processes (make memory: per component)%n",
                "memory",
                StackMemory.total(memory) / 1e9,
                memory.stream().mapToInt(StackMemory.Usage::processes).sum());
        return down == 0 ? 0 : 3;
    }

    /** {@code make memory}: each running component's resident memory (PSS, with its child processes). */
    int memory() {
        StackMemory.print(StackMemory.measure(stack));
        return 0;
    }

    /** The state column of {@code make status}; a component given up on says so even if something answers. */
    static String stateOf(
            final boolean built, final boolean healthy, final boolean running, final Supervisor.ComponentState known) {
        if (!built) {
            return "n/a";
        }
        if (known != null && Supervisor.ComponentState.GAVE_UP.equals(known.state())) {
            return "gave-up";
        }
        if (healthy) {
            return "up";
        }
        return running ? "start" : "down";
    }

    /** Kills one component (SIGTERM); the supervisor restarts it. */
    int restart(final String name) {
        final Optional<ProcessHandle> handle = registry.find(name);
        if (handle.isEmpty()) {
            System.err.println(name + " is not running");
            return 1;
        }
        ProcessRegistry.stop(name, handle.get(), Duration.ofSeconds(45));
        System.out.println(name + " stopped; the supervisor starts it again");
        return 0;
    }

    private static List<String> tail(final Path file, final int lines) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        final List<String> all = Files.readAllLines(file);
        return all.subList(Math.max(0, all.size() - lines), all.size());
    }

    public static void main(final String[] args) throws Exception {
        final LocalStack cli = new LocalStack(StackSettings.from(Settings.load("local-stack")));
        final String command = args.length == 0 ? "status" : args[0];
        final int exit = switch (command) {
            case "up" -> cli.up();
            case "down" -> cli.down();
            case "clean" -> cli.clean();
            case "status" -> cli.status();
            case "restart" -> cli.restart(args.length > 1 ? args[1] : "");
            case "memory" -> cli.memory();
            default -> {
                System.err.println("usage: LocalStack up|down|status|clean|memory|restart <component>");
                yield 2;
            }
        };
        System.exit(exit);
    }
}
