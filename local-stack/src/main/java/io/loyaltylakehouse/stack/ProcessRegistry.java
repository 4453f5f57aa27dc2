package io.loyaltylakehouse.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID files of the stack's processes. A PID is only acted on when that process's command line carries
 * the component's marker flag, so a recycled PID never gets a process that is not ours killed.
 */
final class ProcessRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRegistry.class);

    private final Path runDir;

    ProcessRegistry(final Path runDir) {
        this.runDir = runDir;
    }

    void write(final String name, final long pid) throws IOException {
        Files.createDirectories(runDir);
        Files.writeString(runDir.resolve(name + ".pid"), Long.toString(pid));
    }

    void remove(final String name) {
        try {
            Files.deleteIfExists(runDir.resolve(name + ".pid"));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The live process a PID file names, if it is still ours. */
    Optional<ProcessHandle> find(final String name) {
        final Path file = runDir.resolve(name + ".pid");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            final long pid = Long.parseLong(Files.readString(file).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> isOurs(handle, name));
        } catch (final IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * True when one argument of the process's command line is exactly the component's marker (a marker of
     * {@code dagster-daemon} is not one of {@code dagster}), or, for a part that takes no JVM flag (Prometheus), one
     * entry of its environment is exactly the marker variable.
     */
    static boolean isOurs(final ProcessHandle handle, final String name) {
        try {
            final Path proc = Path.of("/proc", Long.toString(handle.pid()));
            final byte[] cmdline = Files.readAllBytes(proc.resolve("cmdline"));
            if (List.of(new String(cmdline, java.nio.charset.StandardCharsets.UTF_8).split("\0"))
                    .contains(Component.marker(name))) {
                return true;
            }
            final byte[] environ = Files.readAllBytes(proc.resolve("environ"));
            return List.of(new String(environ, java.nio.charset.StandardCharsets.UTF_8).split("\0"))
                    .contains(Component.MARKER_VARIABLE + "=" + name);
        } catch (final IOException e) {
            return false;
        }
    }

    /** Stops components left running by a supervisor that was killed hard. */
    void stopLeftovers(final List<Component> components) {
        for (final Component component : components) {
            find(component.name()).ifPresent(handle -> {
                LOG.warn(
                        "{} from an earlier run is still running (pid {}): stopping it",
                        component.name(),
                        handle.pid());
                stop(component.name(), handle, Duration.ofSeconds(45));
            });
            remove(component.name());
        }
    }

    static void stop(final String name, final ProcessHandle handle, final Duration grace) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            LOG.info("{} stopped", name);
        } catch (final java.util.concurrent.TimeoutException e) {
            LOG.warn("{} did not stop within {} s: killing it", name, grace.toSeconds());
            handle.destroyForcibly();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            handle.destroyForcibly();
        } catch (final java.util.concurrent.ExecutionException e) {
            handle.destroyForcibly();
        }
    }
}
