package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Credentials;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The stack's processes in start order: infrastructure first, then the application components. */
final class Components {
    private Components() {}

    /**
     * A module's runnable entry point and heap. The heaps (and the broker's, PostgreSQL's wrapper's and Trino's) keep
     * the whole stack within 3.5 GB resident after a load and a dbt build (bench/results/memory.md): each is about
     * twice what its JVM keeps live under {@code make load}.
     */
    private record App(String name, String module, String mainClass, String heap) {}

    private static final List<App> APPS = List.of(
            new App("edge-streams", "edge-streams", "io.loyaltylakehouse.edge.EdgeStreamsApp", "384m"),
            new App("cdc-bridge", "cdc-bridge", "io.loyaltylakehouse.cdc.CdcBridgeApp", "384m"),
            new App("flink-reconciler", "flink-reconciler", "io.loyaltylakehouse.reconciler.ReconcilerJob", "384m"));

    static List<Component> infrastructure(final StackSettings stack) {
        return List.of(
                new Component(
                        "kafka",
                        stack.kafkaBootstrap(),
                        java(
                                        stack,
                                        "kafka",
                                        "local-stack",
                                        KafkaBroker.class.getName(),
                                        "256m",
                                        JavaOptions.RETURN_IDLE_HEAP)
                                .map(command -> withAgent(command, Monitoring.kafkaAgent(stack))),
                        HealthChecks.tcp(stack.kafkaHost(), stack.kafkaPort()),
                        true),
                new Component(
                        "postgres",
                        stack.pgHost() + ":" + stack.pgPort(),
                        // unpacking the server binaries into a fresh data directory needs more than 96m of heap
                        java(
                                stack,
                                "postgres",
                                "local-stack",
                                LocalPostgres.class.getName(),
                                "256m",
                                JavaOptions.SMALL_SERVICE),
                        HealthChecks.jdbc(stack.jdbcUrl(stack.legacyDatabase()), stack.pgUser(), stack.pgPassword()),
                        true),
                TrinoServer.component(stack));
    }

    static List<Component> applications(final StackSettings stack) {
        final List<String> wanted =
                List.of(stack.settings().get("stack.components", "").split(","));
        final List<Component> out = new ArrayList<>();
        for (final App app : APPS) {
            if (wanted.contains(app.name())) {
                out.add(new Component(
                        app.name(),
                        endpointOf(stack, app.name()),
                        java(
                                stack,
                                app.name(),
                                app.module(),
                                app.mainClass(),
                                app.heap(),
                                JavaOptions.RETURN_IDLE_HEAP),
                        healthOf(stack, app.name()),
                        false));
            }
        }
        if (wanted.contains(Dagster.CODE_SERVER)) {
            out.add(new Component(
                    Dagster.CODE_SERVER,
                    "127.0.0.1:" + stack.dagsterGrpcPort(),
                    Dagster.codeServer(stack),
                    HealthChecks.tcp("127.0.0.1", stack.dagsterGrpcPort()),
                    false));
        }
        if (wanted.contains(Dagster.WEBSERVER)) {
            out.add(new Component(
                    Dagster.WEBSERVER,
                    Dagster.url(stack),
                    Dagster.command(
                            stack,
                            Dagster.WEBSERVER,
                            "-h",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(stack.dagsterHttpPort())),
                    HealthChecks.http(Dagster.url(stack) + "/server_info", body -> true),
                    false));
        }
        if (wanted.contains(Dagster.DAEMON)) {
            out.add(new Component(
                    Dagster.DAEMON,
                    "(schedules)",
                    Dagster.command(stack, Dagster.DAEMON, "run"),
                    () -> Dagster.schedulerHealthy(stack),
                    false));
        }
        out.addAll(Monitoring.components(stack, wanted));
        return out;
    }

    /** The JVM command with a Java agent added before the main class options. */
    private static List<String> withAgent(final List<String> command, final Optional<String> agent) {
        if (agent.isEmpty()) {
            return command;
        }
        final List<String> out = new ArrayList<>(command);
        out.add(1, agent.get());
        return out;
    }

    static List<Component> all(final StackSettings stack) {
        final List<Component> out = new ArrayList<>(infrastructure(stack));
        out.addAll(applications(stack));
        return out;
    }

    private static String endpointOf(final StackSettings stack, final String name) {
        return switch (name) {
            case "edge-streams" -> "http://127.0.0.1:" + stack.edgeHttpPort();
            case "cdc-bridge" -> "http://127.0.0.1:" + stack.cdcHttpPort();
            case "flink-reconciler" -> "http://127.0.0.1:" + stack.flinkWebPort();
            default -> throw new IllegalArgumentException("unknown component " + name);
        };
    }

    private static Component.HealthCheck healthOf(final StackSettings stack, final String name) {
        return switch (name) {
            case "flink-reconciler" ->
                HealthChecks.http(endpointOf(stack, name) + "/jobs/overview", body -> body.contains("\"RUNNING\""));
            default -> HealthChecks.http(endpointOf(stack, name) + "/health", body -> true);
        };
    }

    static Optional<List<String>> java(
            final StackSettings stack,
            final String name,
            final String module,
            final String mainClass,
            final String heap,
            final List<String> jvmOptions) {
        final List<String> options = new ArrayList<>(jvmOptions);
        options.addAll(stack.javaOptions());
        return ModuleCommand.of(stack.repoDir(), name, module, mainClass, heap, options);
    }

    /**
     * The environment a child starts with: every setting as an environment variable, so each Java child resolves
     * exactly the endpoints the launcher used, but a secret or a Kafka login only for a child that reads it
     * ({@link #reads}); the Dagster processes get only what dbt and they need.
     */
    static void environmentOf(final StackSettings stack, final String name, final Map<String, String> env) {
        if (Dagster.COMPONENTS.contains(name)) {
            final Map<String, String> own = Dagster.environment(stack, env);
            env.clear();
            env.putAll(own);
            return;
        }
        env.putAll(environment(stack));
        if (name.equals("postgres-exporter")) {
            env.putAll(Monitoring.environment(stack));
        }
        env.keySet().removeIf(variable -> restricted(variable) && !reads(stack, name, variable));
    }

    /** Every setting as an environment variable: the supervisor's own environment (it provisions and renders). */
    static Map<String, String> environment(final StackSettings stack) {
        final Map<String, String> env = new LinkedHashMap<>();
        stack.settings()
                .asMap()
                .forEach((key, value) -> env.put(io.loyaltylakehouse.common.config.Settings.envName(key), value));
        env.put("DATA_DIR", stack.dataDir().toString());
        env.put("STACK_REPO_DIR", stack.repoDir().toString());
        // fewer glibc malloc arenas: a JVM's many threads otherwise keep much freed native memory resident
        env.put("MALLOC_ARENA_MAX", "2");
        return env;
    }

    /** A variable that holds a password, token or shared secret, or a Kafka client's login and TLS settings. */
    static boolean restricted(final String variable) {
        return variable.equals("PG_PASSWORD")
                || variable.startsWith("PG_PASSWORD_")
                || variable.startsWith("TRINO_PASSWORD_")
                || variable.equals(LocalSecrets.TRINO_SHARED_SECRET)
                || variable.equals(FORWARDING_SECRET)
                || variable.equals("EDGE_API_TOKEN")
                || variable.startsWith(KAFKA_CLIENT)
                || variable.equals("DATA_SOURCE_NAME");
    }

    /** Whether the child {@code name} reads the restricted {@code variable}. */
    static boolean reads(final StackSettings stack, final String name, final String variable) {
        final boolean kafkaClient = variable.startsWith(KAFKA_CLIENT);
        return switch (name) {
            // in kafka.security=sasl_scram the broker admits (and itself uses) the clients' login
            case "kafka" -> kafkaClient;
            // the server wrapper sets every role's password
            case "postgres" -> variable.equals("PG_PASSWORD") || variable.startsWith("PG_PASSWORD_");
            case "edge-streams" ->
                kafkaClient || variable.equals(FORWARDING_SECRET) || variable.equals("EDGE_API_TOKEN");
            case "cdc-bridge" -> kafkaClient || variable.equals(pgPasswordOf(stack, "pg.cdc.user"));
            case "flink-reconciler" -> kafkaClient || variable.equals(pgPasswordOf(stack, "pg.catalog.user"));
            case "postgres-exporter" -> variable.equals("DATA_SOURCE_NAME");
            // Trino reads its rendered, owner-only files; Prometheus its password file
            default -> false;
        };
    }

    private static final String KAFKA_CLIENT = "KAFKA_CLIENT_";
    private static final String FORWARDING_SECRET = "EDGE_FORWARDING_SECRET";

    private static String pgPasswordOf(final StackSettings stack, final String roleSetting) {
        return Credentials.pgPasswordName(stack.settings().require(roleSetting));
    }
}
