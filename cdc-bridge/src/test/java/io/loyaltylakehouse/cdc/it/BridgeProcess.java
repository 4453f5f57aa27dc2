package io.loyaltylakehouse.cdc.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bridge as its own JVM (target/classes + the runtime classpath Maven wrote at package), so a test can kill it
 * the hard way ({@code destroyForcibly}: no shutdown hook, no offset flush) like a crash would.
 */
final class BridgeProcess {
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP endpoints listening on http://[^:]+:(\\d+)");

    private final Map<String, String> settings;
    private final Path logDir;
    private Process process;
    private Path log;
    private int starts;

    BridgeProcess(final Map<String, String> settings, final Path logDir) {
        this.settings = Map.copyOf(settings);
        this.logDir = logDir;
    }

    void start() throws IOException {
        final Path classpathFile = Path.of("target", "runtime.classpath");
        if (!Files.exists(classpathFile)) {
            throw new IllegalStateException(classpathFile.toAbsolutePath() + " is missing: run `mvn -pl cdc-bridge "
                    + "verify` (the dependency plugin writes it at package)");
        }
        final String classpath = Path.of("target", "classes").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(classpathFile).trim();
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m"));
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-cp");
        command.add(classpath);
        command.add("io.loyaltylakehouse.cdc.CdcBridgeApp");
        log = logDir.resolve("bridge-" + (++starts) + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A crash: the process dies at once, whatever it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A normal stop (SIGTERM runs the shutdown hook, which closes the engine). */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The current run's HTTP port, once it logged it; -1 before. */
    int httpPort() {
        final Matcher matcher = HTTP_PORT.matcher(log());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    String metrics() throws IOException, InterruptedException {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    String log() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
