package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.common.ops.OpsServer;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the stack's processes in order, watches them, and restarts any that dies (so one component can
 * be killed and comes back alone). Stops them all, in reverse order, when it is itself stopped
 * ({@code make down} sends it SIGTERM). Each child's PID is written to {@code <data>/run/<name>.pid}.
 */
public final class Supervisor {
    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final Duration HEALTH_TIMEOUT = Duration.ofMinutes(3);

    private final StackSettings stack;
    private final ProcessRegistry registry;
    private final Map<String, Supervised> running = new LinkedHashMap<>();
    private volatile boolean stopping;
    private OpsServer ops;

    /** A started component and its recent crashes. */
    private static final class Supervised {
        final Component component;
        volatile Process process;
        final Deque<Instant> crashes = new ArrayDeque<>();
        Instant restartAt;
        volatile boolean givenUp;
        final AtomicLong restarts = new AtomicLong();

        Supervised(final Component component) {
            this.component = component;
        }
    }

    Supervisor(final StackSettings stack) {
        this.stack = stack;
        this.registry = new ProcessRegistry(stack.runDir());
    }

    void run() throws Exception {
        registry.stopLeftovers(Components.all(stack));
        ops = opsServer().start();
        final List<Component> infrastructure = Components.infrastructure(stack);
        for (final Component component : infrastructure) {
            if (component.name().equals("trino")) {
                Provisioning.run(stack);
                LOG.info("provisioned topics, legacy schema and Iceberg tables");
                TrinoServer.renderConfig(stack);
            }
            startAndAwait(component);
        }
        final List<Component> applications = Components.applications(stack).stream()
                .filter(component -> component.command().isPresent()).toList();
        Monitoring.renderConfig(stack, applications.stream()
                .filter(component -> !Monitoring.PARTS.contains(component.name())).toList());
        for (final Component component : Components.applications(stack)) {
            if (component.command().isEmpty()) {
                LOG.warn("{} is not built (no {}/target/runtime.classpath): not started", component.name(), component.name());
                continue;
            }
            start(new Supervised(component));
        }
        watch();
    }

    private void startAndAwait(final Component component) throws Exception {
        if (component.command().isEmpty()) {
            throw new IllegalStateException(component.name() + " is not built or fetched: run `make build`");
        }
        final Supervised supervised = new Supervised(component);
        start(supervised);
        final Instant deadline = Instant.now().plus(HEALTH_TIMEOUT);
        while (!component.health().healthy()) {
            if (!supervised.process.isAlive()) {
                throw new IllegalStateException(component.name() + " exited with code " + supervised.process.exitValue()
                        + " while starting; see " + logOf(component));
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException(component.name() + " not healthy after " + HEALTH_TIMEOUT + "; see " + logOf(component));
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
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logOf(component).toFile()));
        builder.environment().putAll(Components.environment(stack));
        builder.environment().put(Component.MARKER_VARIABLE, component.name());
        supervised.process = builder.start();
        registry.write(component.name(), supervised.process.pid());
        synchronized (running) {
            running.put(component.name(), supervised);
        }
        LOG.info("started {} (pid {}), log {}", component.name(), supervised.process.pid(), logOf(component));
    }

    private Path logOf(final Component component) {
        return stack.logDir().resolve(component.name() + ".log");
    }

    /** Restarts crashed components with a doubling delay; gives up on one that keeps crashing. */
    private void watch() throws InterruptedException {
        final Duration baseDelay = stack.settings().requireDuration("stack.restart.delay");
        final int maxCrashes = stack.settings().requireInt("stack.restart.max");
        while (!stopping) {
            for (final Supervised supervised : running.values()) {
                if (stopping || supervised.givenUp || supervised.process.isAlive()) {
                    continue;
                }
                final Instant now = Instant.now();
                if (supervised.restartAt == null) {
                    supervised.crashes.addLast(now);
                    while (supervised.crashes.peekFirst().isBefore(now.minus(Duration.ofMinutes(5)))) {
                        supervised.crashes.removeFirst();
                    }
                    if (supervised.crashes.size() > maxCrashes) {
                        supervised.givenUp = true;
                        LOG.error("{} crashed {} times in 5 minutes: not restarting it; see {}", supervised.component.name(),
                                supervised.crashes.size(), logOf(supervised.component));
                        continue;
                    }
                    final Duration delay = baseDelay.multipliedBy(1L << Math.min(4, supervised.crashes.size() - 1));
                    supervised.restartAt = now.plus(delay.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : delay);
                    LOG.warn("{} exited with code {}; restarting in {} s", supervised.component.name(),
                            supervised.process.exitValue(), Duration.between(now, supervised.restartAt).toSeconds());
                } else if (now.isAfter(supervised.restartAt)) {
                    supervised.restartAt = null;
                    supervised.restarts.incrementAndGet();
                    try {
                        start(supervised);
                    } catch (final IOException e) {
                        LOG.error("cannot restart {}: {}", supervised.component.name(), e.toString());
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /**
     * {@code /metrics} of the launcher ({@code loyalty_supervisor_component_up}, {@code _restarts_total},
     * {@code _given_up} per component) and Alertmanager's webhook ({@code POST /alerts} -> {@code logs/alerts.log}).
     */
    private OpsServer opsServer() throws IOException {
        final Metrics metrics = new Metrics("loyalty_supervisor_");
        GaugeWithCallback.builder().name("loyalty_supervisor_component_up")
                .help("1 while the component's process runs, 0 while it is down or being restarted")
                .labelNames("component")
                .callback(callback -> snapshot().forEach(part -> callback.call(part.process.isAlive() ? 1 : 0,
                        part.component.name())))
                .register(metrics.registry());
        GaugeWithCallback.builder().name("loyalty_supervisor_component_given_up")
                .help("1 once the supervisor stopped restarting the component (too many crashes in 5 minutes)")
                .labelNames("component")
                .callback(callback -> snapshot().forEach(part -> callback.call(part.givenUp ? 1 : 0,
                        part.component.name())))
                .register(metrics.registry());
        CounterWithCallback.builder().name("loyalty_supervisor_component_restarts_total")
                .help("Times the supervisor started the component again after it exited")
                .labelNames("component")
                .callback(callback -> snapshot().forEach(part -> callback.call(part.restarts.get(),
                        part.component.name())))
                .register(metrics.registry());
        final AlertLog alerts = new AlertLog(stack.logDir().resolve("alerts.log"));
        return new OpsServer("127.0.0.1", Monitoring.port(stack, "supervisor.http.port"),
                () -> new OpsServer.Health(!stopping, "{\"status\":\"" + (stopping ? "STOPPING" : "UP") + "\"}"), metrics)
                .receive("/alerts", alerts::receive);
    }

    private List<Supervised> snapshot() {
        synchronized (running) {
            return List.copyOf(running.values());
        }
    }

    /** Stops the children in reverse start order: SIGTERM, then SIGKILL after a grace period. */
    void stopAll() {
        stopping = true;
        final List<Supervised> reverse = new ArrayList<>(running.values());
        java.util.Collections.reverse(reverse);
        for (final Supervised supervised : reverse) {
            ProcessRegistry.stop(supervised.component.name(), supervised.process.toHandle(), Duration.ofSeconds(45));
            registry.remove(supervised.component.name());
        }
        if (ops != null) {
            ops.close();
        }
    }

    public static void main(final String[] args) throws Exception {
        final StackSettings stack = StackSettings.from(Settings.load("local-stack"));
        Files.createDirectories(stack.logDir());
        final Supervisor supervisor = new Supervisor(stack);
        final Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping the local stack");
            main.interrupt();
            supervisor.stopAll();
            LOG.info("local stack stopped");
        }, "supervisor-shutdown"));
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
