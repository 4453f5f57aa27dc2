package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.common.ops.OpsServer;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the stack's processes in order, watches them, and restarts any that dies (so one component can
 * be killed and comes back alone), with a doubling delay; one that crashes more than {@code stack.restart.max}
 * times within {@code stack.restart.window} is given up on. Stops them all, in reverse order, when it is itself
 * stopped ({@code make down} sends it SIGTERM). Each child's PID is written to {@code <data>/run/<name>.pid}, its
 * output to {@code <data>/logs/<name>.log} (rolled by size), and what the supervisor knows about every component to
 * {@code <data>/run/supervisor-state.json} ({@code make status} reads it) and to {@code /health} and
 * {@code /metrics} on {@code stack.http.port}: a component given up on makes the stack's health DEGRADED.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration MAX_DELAY = Duration.ofSeconds(30);
    static final String STATE_FILE = "supervisor-state.json";

    private final StackSettings stack;
    private final ProcessRegistry registry;
    private final Duration baseDelay;
    private final int maxCrashes;
    private final Duration crashWindow;
    private final Map<String, Supervised> running = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, ComponentState> states = new ConcurrentHashMap<>();
    private final Metrics metrics = new Metrics("stack_");
    private final Counter restarts =
            metrics.counter("component_restarts_total", "restarts of a crashed component", "component");
    private final List<Supervised> supervisedParts = new CopyOnWriteArrayList<>();
    private volatile boolean stopping;

    /** What {@code make status} and {@code /health} show for one component. */
    record ComponentState(String state, long pid, long restarts, Instant since, String reason) {
        static final String RUNNING = "running";
        static final String RESTARTING = "restarting";
        static final String GAVE_UP = "gave-up";
    }

    /** The whole state file. */
    record StackState(Instant writtenAt, long supervisorPid, Map<String, ComponentState> components) {}

    /** A started component and its recent crashes. */
    private static final class Supervised {
        final Component component;
        final ComponentLog log;
        final CounterDataPoint restarts;
        volatile Process process;
        final Deque<Instant> crashes = new ArrayDeque<>();
        Instant restartAt;
        volatile boolean givenUp;

        Supervised(final Component component, final ComponentLog log, final CounterDataPoint restarts) {
            this.component = component;
            this.log = log;
            this.restarts = restarts;
        }
    }

    Supervisor(final StackSettings stack) {
        this.stack = stack;
        this.registry = new ProcessRegistry(stack.runDir());
        this.baseDelay = stack.settings().requireDuration("stack.restart.delay");
        this.maxCrashes = stack.settings().requireInt("stack.restart.max");
        this.crashWindow = stack.settings().requireDuration("stack.restart.window");
        GaugeWithCallback.builder()
                .name("stack_component_given_up")
                .help("1 when the supervisor stopped restarting the component")
                .labelNames("component")
                .callback(callback ->
                        supervisedParts.forEach(part -> callback.call(part.givenUp ? 1 : 0, part.component.name())))
                .register(metrics.registry());
        GaugeWithCallback.builder()
                .name("stack_component_running")
                .help("1 while the component's process is alive")
                .labelNames("component")
                .callback(callback -> supervisedParts.forEach(part ->
                        callback.call(part.process != null && part.process.isAlive() ? 1 : 0, part.component.name())))
                .register(metrics.registry());
        if (List.of(stack.settings().get("stack.components", "").split(",")).contains(Dagster.WEBSERVER)) {
            DagsterRunMetrics.register(stack, metrics.registry());
        }
    }

    void run() throws Exception {
        registry.stopLeftovers(Components.all(stack));
        final List<Component> infrastructure = Components.infrastructure(stack);
        for (final Component component : infrastructure) {
            if (component.name().equals("trino")) {
                Provisioning.run(stack);
                LOG.info("provisioned topics, legacy schema and Iceberg tables");
                TrinoServer.renderConfig(stack);
            }
            startAndAwait(component);
        }
        final List<Component> applications = Components.applications(stack);
        if (applications.stream().anyMatch(component -> Dagster.COMPONENTS.contains(component.name()))) {
            Dagster.migrateInstance(stack);
        }
        Monitoring.renderConfig(
                stack,
                applications.stream()
                        .filter(component -> component.command().isPresent())
                        .filter(component -> !Monitoring.PARTS.contains(component.name()))
                        .toList());
        supervise(applications);
    }

    /** Starts the given components and restarts them whenever they die, until {@link #stopAll}. */
    void supervise(final List<Component> applications) throws InterruptedException, IOException {
        for (final Component component : applications) {
            if (component.command().isEmpty()) {
                LOG.warn(
                        "{} is not built (no {}/target/runtime.classpath): not started",
                        component.name(),
                        component.name());
                continue;
            }
            start(supervised(component));
        }
        watch();
    }

    /**
     * {@code /health} (200 UP, 503 DEGRADED when a component was given up on), {@code /metrics}, and Alertmanager's
     * webhook ({@code POST /alerts}, appended to {@code <data>/logs/alerts.log}).
     */
    OpsServer openHealth() throws IOException {
        final AlertLog alerts = new AlertLog(stack.logDir().resolve("alerts.log"));
        return new OpsServer("127.0.0.1", stack.settings().requireInt("stack.http.port"), this::health, metrics)
                .receive("/alerts", alerts::receive)
                .start();
    }

    OpsServer.Health health() {
        final Map<String, String> components = new TreeMap<>();
        states.forEach((name, state) -> components.put(name, state.state()));
        final boolean degraded = components.containsValue(ComponentState.GAVE_UP);
        return new OpsServer.Health(
                !degraded, Json.toJson(Map.of("status", degraded ? "DEGRADED" : "UP", "components", components)));
    }

    private Supervised supervised(final Component component) {
        final Path file = logOf(component);
        final ComponentLog log = new ComponentLog(
                component.name(),
                file,
                stack.settings().require("stack.log.max-size"),
                stack.settings().requireInt("stack.log.keep"));
        final Supervised supervised = new Supervised(component, log, restarts.labelValues(component.name()));
        supervisedParts.add(supervised);
        return supervised;
    }

    private void startAndAwait(final Component component) throws Exception {
        if (component.command().isEmpty()) {
            throw new IllegalStateException(component.name() + " is not built or fetched: run `make build`");
        }
        final Supervised supervised = supervised(component);
        start(supervised);
        final Instant deadline = Instant.now().plus(HEALTH_TIMEOUT);
        while (!component.health().healthy()) {
            if (!supervised.process.isAlive()) {
                throw new IllegalStateException(component.name() + " exited with code " + supervised.process.exitValue()
                        + " while starting; see " + logOf(component));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(
                        component.name() + " not healthy after " + HEALTH_TIMEOUT + "; see " + logOf(component));
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        LOG.info("{} healthy at {}", component.name(), component.endpoint());
    }

    private void start(final Supervised supervised) throws IOException {
        final Component component = supervised.component;
        final ProcessBuilder builder = new ProcessBuilder(component.command().orElseThrow())
                .directory(stack.repoDir().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Components.environmentOf(stack, component.name(), builder.environment());
        builder.environment().put(Component.MARKER_VARIABLE, component.name());
        supervised.process = builder.start();
        supervised.log.pump(component.name(), supervised.process.getInputStream());
        registry.write(component.name(), supervised.process.pid());
        running.put(component.name(), supervised);
        update(supervised, ComponentState.RUNNING, "");
        LOG.info("started {} (pid {}), log {}", component.name(), supervised.process.pid(), logOf(component));
    }

    private Path logOf(final Component component) {
        return stack.logDir().resolve(component.name() + ".log");
    }

    /** Restarts crashed components with a doubling delay; gives up on one that keeps crashing. */
    private void watch() throws InterruptedException {
        while (!stopping) {
            for (final Supervised supervised : List.copyOf(running.values())) {
                if (stopping || supervised.givenUp || supervised.process.isAlive()) {
                    continue;
                }
                final Instant now = Instant.now();
                if (supervised.restartAt == null) {
                    crashed(supervised, now);
                } else if (now.isAfter(supervised.restartAt)) {
                    supervised.restartAt = null;
                    try {
                        supervised.restarts.inc();
                        start(supervised);
                    } catch (final IOException e) {
                        LOG.error("cannot restart {}: {}", supervised.component.name(), e.toString());
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    private void crashed(final Supervised supervised, final Instant now) {
        final String name = supervised.component.name();
        final int exit = supervised.process.exitValue();
        supervised.crashes.addLast(now);
        while (supervised.crashes.peekFirst().isBefore(now.minus(crashWindow))) {
            supervised.crashes.removeFirst();
        }
        if (supervised.crashes.size() > maxCrashes) {
            supervised.givenUp = true;
            final String reason = "crashed " + supervised.crashes.size() + " times in " + crashWindow.toSeconds()
                    + " s (last exit code " + exit + "); see " + logOf(supervised.component);
            registry.remove(name);
            update(supervised, ComponentState.GAVE_UP, reason);
            supervised.log.write("[supervisor] " + name + " " + reason + ": not restarting it");
            LOG.error("{} {}: not restarting it", name, reason);
            return;
        }
        final Duration doubled = baseDelay.multipliedBy(1L << Math.min(10, supervised.crashes.size() - 1));
        final Duration delay = doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
        supervised.restartAt = now.plus(delay);
        update(supervised, ComponentState.RESTARTING, "exit code " + exit);
        supervised.log.write(
                "[supervisor] " + name + " exited with code " + exit + "; restarting in " + delay.toMillis() + " ms");
        LOG.warn("{} exited with code {}; restarting in {} ms", name, exit, delay.toMillis());
    }

    private void update(final Supervised supervised, final String state, final String reason) {
        states.put(
                supervised.component.name(),
                new ComponentState(
                        state, supervised.process.pid(), (long) supervised.restarts.get(), Instant.now(), reason));
        writeState();
    }

    private synchronized void writeState() {
        final Path file = stack.runDir().resolve(STATE_FILE);
        try {
            Files.createDirectories(stack.runDir());
            final Path partial = stack.runDir().resolve(STATE_FILE + ".tmp");
            Files.write(
                    partial,
                    Json.toBytes(new StackState(
                            Instant.now(), ProcessHandle.current().pid(), new TreeMap<>(states))));
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (final IOException e) {
            LOG.warn("cannot write {}: {}", file, e.getMessage());
        }
    }

    /** Reads what a supervisor last wrote, if any. */
    static java.util.Optional<StackState> readState(final Path runDir) {
        final Path file = runDir.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Json.fromBytes(Files.readAllBytes(file), StackState.class));
        } catch (final IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** Stops the children in reverse start order: SIGTERM, then SIGKILL after a grace period. */
    void stopAll() {
        stopping = true;
        final List<Supervised> reverse = new ArrayList<>(running.values());
        Collections.reverse(reverse);
        for (final Supervised supervised : reverse) {
            ProcessRegistry.stop(supervised.component.name(), supervised.process.toHandle(), Duration.ofSeconds(45));
            registry.remove(supervised.component.name());
            supervised.log.close();
        }
        try {
            Files.deleteIfExists(stack.runDir().resolve(STATE_FILE));
        } catch (final IOException e) {
            LOG.warn("cannot remove {}: {}", STATE_FILE, e.getMessage());
        }
    }

    public static void main(final String[] args) throws Exception {
        final StackSettings stack = StackSettings.from(Settings.load("local-stack"));
        Files.createDirectories(stack.logDir());
        final Supervisor supervisor = new Supervisor(stack);
        final OpsServer health = supervisor.openHealth();
        final Thread main = Thread.currentThread();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("stopping the local stack");
                            main.interrupt();
                            supervisor.stopAll();
                            health.close();
                            LOG.info("local stack stopped");
                        },
                        "supervisor-shutdown"));
        try {
            supervisor.run();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final Exception e) {
            LOG.error("local stack failed to start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }
}
