package io.loyaltylakehouse.edge.it;

import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.edge.EdgeStreamsApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One edge-streams instance as its own JVM (the test's classpath, {@link EdgeStreamsApp} as main), so the test can
 * kill it the hard way: {@link #kill()} is SIGKILL, no shutdown hook, no clean close, no final commit.
 */
final class EdgeProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int port;

    private EdgeProcess(final Process process, final int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts an instance with {@code settings} as -D overrides and waits until /health answers 200. */
    static EdgeProcess start(final Map<String, String> settings, final Path log) {
        final int port = freePort();
        final List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dedge.http.port=" + port);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EdgeStreamsApp.class.getName()));
        final Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start edge-streams: " + command, e);
        }
        final EdgeProcess edge = new EdgeProcess(process, port);
        await("edge-streams on port " + port + " healthy (log " + log + ")")
                .atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(200))
                .ignoreException(UncheckedIOException.class)
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException(
                                "edge-streams exited with " + process.exitValue() + ", see " + log);
                    }
                    return edge.get("/health").statusCode() == 200;
                });
        return edge;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int port() {
        return port;
    }

    HttpResponse<String> get(final String path) {
        try {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                            .timeout(Duration.ofSeconds(10))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (final IOException e) {
            throw new UncheckedIOException("GET " + path + " on port " + port + " failed", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: the instance gets no chance to commit, flush or close anything. */
    void kill() {
        process.destroyForcibly();
        await("edge-streams killed").atMost(Duration.ofSeconds(30)).until(() -> !process.isAlive());
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            await("edge-streams stopped").atMost(Duration.ofSeconds(60)).until(() -> !process.isAlive());
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
