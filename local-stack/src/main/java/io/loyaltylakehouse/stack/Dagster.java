package io.loyaltylakehouse.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Dagster processes of the stack (dbt/orchestration): the code server that loads the definitions (gRPC, and
 * the parent of every run), the webserver (UI and GraphQL API) and the daemon that runs the schedules; the last two
 * ask the code server for the definitions, so they are loaded once. All are Python programs of {@code .cache/venv}
 * ({@code make venv}), run as {@code python -X <marker> <venv>/bin/dagster...}: the {@code -X} option puts the
 * launcher's marker on the command line (Python ignores it) so PID files only ever match our processes.
 */
final class Dagster {
    static final String CODE_SERVER = "dagster-code-server";
    static final String WEBSERVER = "dagster-webserver";
    static final String DAEMON = "dagster-daemon";
    static final List<String> COMPONENTS = List.of(CODE_SERVER, WEBSERVER, DAEMON);
    /** HTTP/1.1: the webserver (uvicorn) does not take Java's default h2c upgrade on a POST. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    /** Schedules with their newest run, from the webserver's GraphQL API. */
    private static final String SCHEDULES = "{ repositoriesOrError { ... on RepositoryConnection { nodes {"
            + " schedules { name cronSchedule scheduleState { status runs(limit: 1) { status endTime } } } } } } }";

    private static final String DAEMON_HEALTH =
            "{ instance { daemonHealth { daemonStatus(daemonType: \"SCHEDULER\")" + " { healthy } } } }";

    private Dagster() {}

    static String url(final StackSettings stack) {
        return "http://127.0.0.1:" + stack.dagsterHttpPort();
    }

    private static Path venv(final StackSettings stack) {
        return stack.repoDir().resolve(".cache/venv");
    }

    /** {@code dagster api grpc}: the code location {@code loyalty_orchestration.definitions} on the gRPC port. */
    static Optional<List<String>> codeServer(final StackSettings stack) {
        return python(
                stack,
                CODE_SERVER,
                "dagster",
                "api",
                "grpc",
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(stack.dagsterGrpcPort()),
                "-m",
                "loyalty_orchestration.definitions",
                "-d",
                stack.repoDir().resolve("dbt/orchestration").toString());
    }

    /** The webserver or the daemon, with the code server as their workspace. */
    static Optional<List<String>> command(final StackSettings stack, final String name, final String... args) {
        final List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--grpc-host", "127.0.0.1", "--grpc-port", Integer.toString(stack.dagsterGrpcPort())));
        return python(stack, name, name, all.toArray(String[]::new));
    }

    /** Empty while the virtual environment is not installed. */
    private static Optional<List<String>> python(
            final StackSettings stack, final String name, final String program, final String... args) {
        final Path python = venv(stack).resolve("bin/python");
        if (!Files.isExecutable(python)) {
            return Optional.empty();
        }
        final List<String> command = new ArrayList<>(List.of(
                python.toString(),
                "-X",
                Component.marker(name),
                venv(stack).resolve("bin/" + program).toString()));
        command.addAll(List.of(args));
        return Optional.of(command);
    }

    /**
     * Only what Dagster and dbt need: the instance (configuration in dbt/orchestration/instance, data under
     * {@code <data>/dagster}), Trino's URL and the {@code dbt} user's password. No PostgreSQL login; the maintenance
     * job reads loyalty_admin's password itself when it runs; the fraud pause of the rules (RULES_FRAUD_PAUSE) for
     * dbt's fraud_review. Schedules follow DBT_SNAPSHOT_CRON, DBT_BUILD_CRON
     * and ICEBERG_MAINTENANCE_CRON when the launcher has them.
     */
    static Map<String, String> environment(final StackSettings stack, final Map<String, String> inherited) {
        final Map<String, String> env = new LinkedHashMap<>();
        for (final String name : List.of(
                "PATH",
                "HOME",
                "LANG",
                "LC_ALL",
                "TZ",
                "DBT_SNAPSHOT_CRON",
                "DBT_BUILD_CRON",
                "ICEBERG_MAINTENANCE_CRON",
                "ICEBERG_MAINTENANCE_RETENTION")) {
            if (inherited.containsKey(name)) {
                env.put(name, inherited.get(name));
            }
        }
        env.put("DATA_DIR", stack.dataDir().toString());
        env.put(
                "DAGSTER_HOME",
                stack.repoDir().resolve("dbt/orchestration/instance").toString());
        env.put("DAGSTER_DATA_DIR", stack.dataDir().resolve("dagster").toString());
        env.put(
                "DAGSTER_COMPUTE_LOG_DIR",
                stack.dataDir().resolve("dagster/compute_logs").toString());
        env.put("TRINO_URL", stack.trinoUrl().toString());
        // fraud_review's pause (dbt --vars, loyalty_orchestration/rules.py): the one edge-streams applies
        env.put("RULES_FRAUD_PAUSE", stack.settings().require("rules.fraud.pause"));
        // fewer glibc malloc arenas: the threaded webserver and daemon otherwise keep much unused memory resident
        env.put("MALLOC_ARENA_MAX", "2");
        try {
            env.put(
                    "TRINO_PASSWORD_DBT",
                    Credentials.load(stack.dataDir(), inherited).trinoPassword("dbt"));
        } catch (final IllegalStateException e) {
            // a Trino without logins (no credentials written yet): dbt's profile then says what is missing
        }
        return env;
    }

    /**
     * {@code dagster instance migrate}: creates the instance's SQLite storage (or brings it to this Dagster version)
     * once, before the three processes start; started together on a new data directory they race to create the same
     * tables and leave the storage unusable ("more than one head").
     */
    static void migrateInstance(final StackSettings stack) throws IOException, InterruptedException {
        final Optional<List<String>> command = python(stack, "dagster-migrate", "dagster", "instance", "migrate");
        if (command.isEmpty()) {
            return;
        }
        final ProcessBuilder builder = new ProcessBuilder(command.get())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        stack.logDir().resolve(DAEMON + ".log").toFile()));
        final Map<String, String> env = environment(stack, builder.environment());
        builder.environment().clear();
        builder.environment().putAll(env);
        final Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "dagster instance migrate failed; see " + stack.logDir().resolve(DAEMON + ".log"));
        }
    }

    static boolean schedulerHealthy(final StackSettings stack) {
        try {
            return graphql(stack, DAEMON_HEALTH)
                    .at("/data/instance/daemonHealth/daemonStatus/healthy")
                    .asBoolean();
        } catch (final Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    /** {@code dbt_build_schedule 0 * * * * last SUCCESS 12:00:41Z; ...}: each schedule's newest run and result. */
    static String schedules(final StackSettings stack) throws Exception {
        final List<String> out = new ArrayList<>();
        for (final JsonNode repository : graphql(stack, SCHEDULES).at("/data/repositoriesOrError/nodes")) {
            for (final JsonNode schedule : repository.path("schedules")) {
                final JsonNode runs = schedule.at("/scheduleState/runs");
                final String last = runs.isEmpty()
                        ? "no run yet"
                        : "last " + runs.get(0).path("status").asText()
                                + (runs.get(0).path("endTime").isNumber()
                                        ? " "
                                                + Instant.ofEpochSecond(runs.get(0)
                                                        .path("endTime")
                                                        .asLong())
                                        : "");
                out.add(schedule.path("name").asText() + " ("
                        + schedule.path("cronSchedule").asText() + ", "
                        + schedule.at("/scheduleState/status").asText().toLowerCase() + ") " + last);
            }
        }
        return String.join("; ", out);
    }

    static JsonNode graphql(final StackSettings stack, final String query) throws Exception {
        final HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(url(stack) + "/graphql"))
                        .timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                Json.MAPPER.writeValueAsString(Map.of("query", query))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("Dagster GraphQL answered " + response.statusCode());
        }
        return Json.MAPPER.readTree(response.body());
    }
}
