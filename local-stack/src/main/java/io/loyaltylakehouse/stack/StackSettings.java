package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the local stack listens and keeps its data. Every value comes from {@link Settings}
 * ({@code loyalty-defaults.properties} + {@code local-stack.properties}, overridden by environment
 * variables such as {@code KAFKA_BOOTSTRAP}, {@code PG_PORT}, {@code TRINO_URL}, {@code DATA_DIR}).
 */
public record StackSettings(
        Settings settings,
        Path repoDir,
        Path dataDir,
        String kafkaHost,
        int kafkaPort,
        int kafkaControllerPort,
        String pgHost,
        int pgPort,
        String pgUser,
        String pgPassword,
        String legacyDatabase,
        String catalogDatabase,
        URI trinoUrl,
        int edgeHttpPort,
        int cdcHttpPort,
        int flinkWebPort,
        int dagsterHttpPort,
        int dagsterGrpcPort) {

    public static StackSettings from(final Settings settings) {
        final String[] bootstrap =
                settings.require("kafka.bootstrap").split(",")[0].split(":");
        final int kafkaPort = Integer.parseInt(bootstrap[1]);
        return new StackSettings(
                settings,
                Path.of(settings.require("stack.repo.dir")).toAbsolutePath().normalize(),
                Path.of(settings.require("data.dir")).toAbsolutePath().normalize(),
                bootstrap[0],
                kafkaPort,
                Integer.parseInt(settings.get("kafka.controller.port", Integer.toString(kafkaPort + 1))),
                settings.require("pg.host"),
                settings.requireInt("pg.port"),
                settings.require("pg.user"),
                settings.require("pg.password"),
                settings.require("pg.legacy.database"),
                settings.require("pg.catalog.database"),
                URI.create(settings.require("trino.url")),
                settings.requireInt("edge.http.port"),
                settings.requireInt("cdc.http.port"),
                settings.requireInt("flink.web.port"),
                settings.requireInt("dagster.http.port"),
                settings.requireInt("dagster.grpc.port"));
    }

    public Path runDir() {
        return dataDir.resolve("run");
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    public String kafkaBootstrap() {
        return kafkaHost + ":" + kafkaPort;
    }

    /** {@code stack.java.options}: what every JVM the stack starts gets besides its own options. */
    public List<String> javaOptions() {
        final String options = settings.get("stack.java.options", "").trim();
        return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
    }

    public String jdbcUrl(final String database) {
        return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
    }
}
