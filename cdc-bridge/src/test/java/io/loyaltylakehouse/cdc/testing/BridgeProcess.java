package io.loyaltylakehouse.cdc.testing;

import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.stack.ModuleCommand;
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
 * the hard way ({@code destroyForcibly}: no shutdown hook, no offset flush) like a crash would. Settings go on its
 * command line; its role's password (from the stack's credentials) only into its environment.
 */
public final class BridgeProcess {
    private static final Pattern HTTP_PORT = Pattern.compile("HTTP endpoints listening on http://[^:]+:(\\d+)");

    private final Path moduleDir;
    private final Map<String, String> settings;
    private final Path logDir;
    private Process process;
    private Path log;
    private int starts;

    /** @param moduleDir the cdc-bridge module directory (holding target/classes and target/runtime.classpath) */
    public BridgeProcess(final Path moduleDir, final Map<String, String> settings, final Path logDir) {
        this.moduleDir = moduleDir;
        this.settings = Map.copyOf(settings);
        this.logDir = logDir;
    }

    public void start() throws IOException {
        final Path module = moduleDir.toAbsolutePath().normalize();
        final List<String> command = new ArrayList<>(
                ModuleCommand.of(
                                module.getParent(),
                                "cdc-bridge-it",
                                module.getFileName().toString(),
                                "io.loyaltylakehouse.cdc.CdcBridgeApp",
                                "384m")
                        .orElseThrow(
                                () -> new IllegalStateException(
                                        module.resolve("target/runtime.classpath")
                                                + " is missing: run `mvn -pl cdc-bridge verify` (the dependency plugin writes it at package)")));
        // settings go first, as -D overrides, right after the java executable
        final List<String> overrides = new ArrayList<>();
        settings.forEach((key, value) -> overrides.add("-D" + key + "=" + value));
        command.addAll(1, overrides);
        log = logDir.resolve("bridge-" + (++starts) + ".log");
        final ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        final Settings stack = Settings.load("cdc-bridge");
        final String password = Credentials.pgPasswordName(stack.require("pg.cdc.user"));
        builder.environment().put(password, Credentials.load(stack).secret(password));
        process = builder.start();
    }

    /** A crash: the process dies at once, whatever it was doing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A normal stop (SIGTERM runs the shutdown hook, which closes the engine). */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The current run's HTTP port, once it logged it; -1 before. */
    public int httpPort() {
        final Matcher matcher = HTTP_PORT.matcher(log());
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : -1;
    }

    public String metrics() throws IOException, InterruptedException {
        return get("/metrics").body();
    }

    /** {@code /health} as "status body". */
    public String health() throws IOException, InterruptedException {
        final HttpResponse<String> response = get("/health");
        return response.statusCode() + " " + response.body();
    }

    private HttpResponse<String> get(final String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    public String log() {
        try {
            return log == null || !Files.exists(log) ? "" : Files.readString(log);
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
