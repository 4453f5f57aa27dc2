package io.loyaltylakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.ops.OpsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor and the PID registry with real short-lived child processes (shell one-liners carrying the
 * component marker as their {@code $0}): restart with back-off, give-up after repeated crashes (shown in the state
 * file, {@code make status} and {@code /health}), logs rolled by size, PID files that never get a process that is
 * not ours acted on, and stopping only what the supervisor started.
 */
class SupervisorTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    private final List<Process> strangers = new ArrayList<>();
    private Supervisor supervisor;
    private Thread watcher;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (supervisor != null) {
            supervisor.stopAll();
            watcher.join(10_000);
        }
        strangers.forEach(Process::destroyForcibly);
    }

    @Test
    void restartsACrashedComponentWithADoublingDelayThenGivesUpAndSaysSo() throws Exception {
        final Path starts = dataDir.resolve("starts");
        final StackSettings stack = stack(Map.of("stack.restart.delay", "200ms", "stack.restart.max", "3"));
        supervise(stack, component("crasher", "date +%s%N >> " + starts + "; echo crashing; exit 3"));

        // 1 start + 3 restarts; the 4th crash within the window is one more than stack.restart.max
        await().atMost(Duration.ofSeconds(20))
                .until(() -> startsIn(starts).size() == 4
                        && state(stack, "crasher")
                                .map(Supervisor.ComponentState::state)
                                .orElse("")
                                .equals("gave-up"));
        await().during(Duration.ofSeconds(2))
                .atMost(Duration.ofSeconds(3))
                .until(() -> startsIn(starts).size() == 4);

        final List<Long> at = startsIn(starts);
        final long first = at.get(1) - at.get(0);
        final long second = at.get(2) - at.get(1);
        final long third = at.get(3) - at.get(2);
        assertThat(first).isGreaterThanOrEqualTo(200);
        assertThat(second).isGreaterThanOrEqualTo(400).isGreaterThan(first);
        assertThat(third).isGreaterThanOrEqualTo(800).isGreaterThan(second);

        final Supervisor.ComponentState gaveUp = state(stack, "crasher").orElseThrow();
        assertThat(gaveUp.restarts()).isEqualTo(3);
        assertThat(gaveUp.reason())
                .contains("crashed 4 times")
                .contains("exit code 3")
                .contains("crasher.log");
        assertThat(Files.exists(stack.runDir().resolve("crasher.pid"))).isFalse();
        assertThat(Files.readString(stack.logDir().resolve("crasher.log")))
                .contains("crashing")
                .contains("[supervisor] crasher crashed 4 times");
        assertThat(LocalStack.stateOf(true, false, false, gaveUp)).isEqualTo("gave-up");
        assertThat(LocalStack.stateOf(true, true, true, null)).isEqualTo("up");
        assertThat(LocalStack.stateOf(true, false, true, null)).isEqualTo("start");
        assertThat(LocalStack.stateOf(false, false, false, null)).isEqualTo("n/a");

        try (OpsServer health = supervisor.openHealth()) {
            final HttpResponse<String> response = get(health, "/health");
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("\"status\":\"DEGRADED\"").contains("\"crasher\":\"gave-up\"");
            assertThat(get(health, "/metrics").body())
                    .contains("stack_component_given_up{component=\"crasher\"} 1")
                    .contains("stack_component_restarts_total{component=\"crasher\"} 3");
        }
    }

    @Test
    void aComponentThatStaysUpIsHealthyAndCountsNoRestart() throws Exception {
        final StackSettings stack = stack(Map.of());
        supervise(stack, component("steady", "sleep 60"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> state(stack, "steady").isPresent());
        try (OpsServer health = supervisor.openHealth()) {
            final HttpResponse<String> response = get(health, "/health");
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"UP\"").contains("\"steady\":\"running\"");
        }
        assertThat(state(stack, "steady").orElseThrow().restarts()).isZero();
    }

    @Test
    void componentLogsRollOverBySizeAndKeepABoundedNumberOfFiles() throws Exception {
        final StackSettings stack = stack(Map.of("stack.log.max-size", "10KB", "stack.log.keep", "2"));
        final Path done = dataDir.resolve("done");
        supervise(
                stack,
                component(
                        "chatty",
                        "i=0; while [ $i -lt 4000 ]; do echo \"line $i of a chatty component\";"
                                + " i=$((i+1)); done; touch " + done + "; sleep 60"));

        await().atMost(Duration.ofSeconds(20))
                .until(() -> Files.exists(done)
                        && Files.readString(stack.logDir().resolve("chatty.log"))
                                .contains("line 3999 "));

        try (Stream<Path> files = Files.list(stack.logDir())) {
            assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("chatty")))
                    .containsExactlyInAnyOrder("chatty.log", "chatty.log.1", "chatty.log.2");
        }
        for (final String name : List.of("chatty.log", "chatty.log.1", "chatty.log.2")) {
            assertThat(Files.size(stack.logDir().resolve(name))).isLessThan(12 * 1024);
        }
    }

    @Test
    void stopAllStopsWhatTheSupervisorStartedAndNothingElse() throws Exception {
        final StackSettings stack = stack(Map.of());
        // a process with the same marker that this supervisor did not start (another stack's, or a stranger's)
        final Process lookalike = stranger("sleep 60", Component.marker("worker"));
        supervise(stack, component("worker", "sleep 60"), component("helper", "sleep 60"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> new ProcessRegistry(stack.runDir()).find("worker").isPresent()
                        && new ProcessRegistry(stack.runDir()).find("helper").isPresent());
        final ProcessHandle worker =
                new ProcessRegistry(stack.runDir()).find("worker").orElseThrow();
        final ProcessHandle helper =
                new ProcessRegistry(stack.runDir()).find("helper").orElseThrow();

        supervisor.stopAll();
        watcher.join(10_000);
        supervisor = null;

        assertThat(worker.isAlive()).isFalse();
        assertThat(helper.isAlive()).isFalse();
        assertThat(lookalike.isAlive()).isTrue();
        assertThat(Files.exists(stack.runDir().resolve("worker.pid"))).isFalse();
        assertThat(Files.exists(stack.runDir().resolve(Supervisor.STATE_FILE))).isFalse();
    }

    @Test
    void aPidFileNamingAProcessThatIsNotOursIsNeverActedOn() throws Exception {
        final ProcessRegistry registry = new ProcessRegistry(dataDir.resolve("run"));
        final Process plain = stranger("sleep 60", "no-marker");
        // a marker that only starts like ours: dagster-daemon's process is not dagster's
        final Process longerName = stranger("sleep 60", Component.marker("worker-daemon"));
        final Process ours = stranger("sleep 60", Component.marker("worker"));

        registry.write("worker", plain.pid());
        assertThat(registry.find("worker")).isEmpty();
        registry.stopLeftovers(List.of(component("worker", "true")));
        assertThat(plain.isAlive()).isTrue();
        assertThat(Files.exists(dataDir.resolve("run/worker.pid"))).isFalse();

        registry.write("worker", longerName.pid());
        assertThat(registry.find("worker")).isEmpty();
        registry.stopLeftovers(List.of(component("worker", "true")));
        assertThat(longerName.isAlive()).isTrue();

        Files.writeString(dataDir.resolve("run/worker.pid"), "not a pid");
        assertThat(registry.find("worker")).isEmpty();

        registry.write("worker", ours.pid());
        assertThat(registry.find("worker")).map(ProcessHandle::pid).contains(ours.pid());
        registry.stopLeftovers(List.of(component("worker", "true")));
        await().atMost(Duration.ofSeconds(10)).until(() -> !ours.isAlive());
        assertThat(plain.isAlive()).isTrue();
    }

    private StackSettings stack(final Map<String, String> overrides) {
        final Map<String, String> values = new java.util.HashMap<>(Map.of(
                "data.dir",
                dataDir.toString(),
                "stack.repo.dir",
                dataDir.toString(),
                "stack.http.port",
                "0",
                "stack.restart.delay",
                "200ms",
                "stack.components",
                ""));
        values.putAll(overrides);
        return StackSettings.from(Settings.defaults("local-stack").with(values));
    }

    private void supervise(final StackSettings stack, final Component... components) throws IOException {
        Files.createDirectories(stack.logDir());
        supervisor = new Supervisor(stack);
        watcher = new Thread(
                () -> {
                    try {
                        supervisor.supervise(List.of(components));
                    } catch (final InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (final IOException e) {
                        throw new IllegalStateException(e);
                    }
                },
                "supervisor-under-test");
        watcher.start();
    }

    /** A shell one-liner whose {@code $0} is the component's marker, as the launcher's JVMs carry it. */
    private static Component component(final String name, final String script) {
        return new Component(
                name, "-", Optional.of(List.of("sh", "-c", script, Component.marker(name))), () -> true, false);
    }

    private Process stranger(final String script, final String arg0) throws IOException {
        final Process process = new ProcessBuilder("sh", "-c", script, arg0).start();
        strangers.add(process);
        return process;
    }

    private static Optional<Supervisor.ComponentState> state(final StackSettings stack, final String name) {
        return Supervisor.readState(stack.runDir())
                .map(state -> state.components().get(name));
    }

    private static List<Long> startsIn(final Path file) throws IOException {
        return Files.exists(file)
                ? Files.readAllLines(file).stream()
                        .filter(line -> !line.isBlank())
                        .map(line -> Long.parseLong(line.trim()) / 1_000_000)
                        .toList()
                : List.of();
    }

    private static HttpResponse<String> get(final OpsServer server, final String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
