package io.loyaltylakehouse.system;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.trino.TrinoLogin;
import io.loyaltylakehouse.iceberg.CatalogSettings;
import io.loyaltylakehouse.load.check.LakehouseCheck;
import io.loyaltylakehouse.stack.ModuleCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The running lakehouse as a user sees it: endpoints from the same settings as every component
 * (so {@code make test}'s environment points here), Trino as a given user, and the launcher's CLI.
 */
final class Lakehouse {
    static final Settings SETTINGS = Settings.load("system-tests");

    private Lakehouse() {}

    /** The stack's Kafka as every component reaches it: bootstrap servers and {@code kafka.client.*} security. */
    static Map<String, Object> kafka() {
        return KafkaClients.config(SETTINGS);
    }

    static CatalogSettings catalog() {
        return CatalogSettings.from(SETTINGS);
    }

    /** Trino as {@code user}, logged in with the stack's generated password over HTTPS. */
    static Connection trino(final String user) throws SQLException {
        final TrinoLogin login = TrinoLogin.of(SETTINGS, user);
        final Properties properties = login.jdbcProperties();
        properties.setProperty("timezone", "UTC");
        return DriverManager.getConnection(login.jdbcUrl("iceberg"), properties);
    }

    static Connection postgres(final String database) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + SETTINGS.require("pg.host") + ":" + SETTINGS.require("pg.port") + "/" + database,
                SETTINGS.require("pg.user"),
                SETTINGS.require("pg.password"));
    }

    /** Runs a query and returns each row as a list of strings. */
    static List<List<String>> query(final Connection connection, final String sql) throws SQLException {
        return LakehouseCheck.query(connection, sql);
    }

    static void execute(final Connection connection, final String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Runs {@code LocalStack <args>} as {@code make} does, in the repository root; returns its output. */
    static String launcher(final String... args) throws IOException, InterruptedException {
        final Path repo = Path.of("..").toAbsolutePath().normalize();
        final List<String> command = new ArrayList<>(
                ModuleCommand.of(repo, "launcher-cli", "local-stack", "io.loyaltylakehouse.stack.LocalStack", "256m")
                        .orElseThrow());
        command.addAll(List.of(args));
        final Process process = new ProcessBuilder(command)
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("LocalStack " + String.join(" ", args) + " failed:\n" + output);
        }
        return output;
    }
}
