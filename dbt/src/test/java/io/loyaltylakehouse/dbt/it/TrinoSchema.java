package io.loyaltylakehouse.dbt.it;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.dbt.adapter.TrinoAdapter;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import io.loyaltylakehouse.dbt.exec.Invocation;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * An isolated schema {@code iceberg.dbt_it_<random>} on the test stack's Trino ({@code TRINO_URL}), created and
 * dropped as {@code loyalty_admin}; ad-hoc dbt projects of the ITs write into it.
 */
final class TrinoSchema implements AutoCloseable {
    private final URI url;
    private final String name;
    private final Connection connection;

    private TrinoSchema(final URI url, final String name, final Connection connection) {
        this.url = url;
        this.name = name;
        this.connection = connection;
    }

    static TrinoSchema create(final String purpose) throws SQLException {
        final URI url = URI.create(Settings.load("dbt").require("trino.url"));
        final Properties props = new Properties();
        props.setProperty("user", "loyalty_admin");
        props.setProperty("timezone", "UTC");
        final Connection connection = DriverManager.getConnection(
                "jdbc:trino://" + url.getHost() + ":" + url.getPort() + "/iceberg", props);
        final String name = "dbt_it_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8);
        final TrinoSchema schema = new TrinoSchema(url, name, connection);
        schema.execute("create schema iceberg." + name);
        return schema;
    }

    String name() {
        return name;
    }

    void execute(final String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    List<List<String>> rows(final String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            final List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                final List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /** What a project's profiles.yml reads through env_var(). */
    Map<String, String> env() {
        return Map.of("TRINO_HOST", url.getHost(), "TRINO_PORT", String.valueOf(url.getPort()),
                "DBT_TRINO_USER", "loyalty_admin", "DBT_SCHEMA", name);
    }

    /** Runs a dbt command on a project the way the CLI would, in-process. */
    CommandRunner.Outcome dbt(final Path project, final String... args) {
        final List<String> argv = new ArrayList<>(List.of(args));
        argv.addAll(List.of("--project-dir", project.toString(), "--profiles-dir", project.toString()));
        return new CommandRunner(TrinoAdapter::connect, env()).run(Invocation.parse(argv.toArray(String[]::new)));
    }

    /** A profiles.yml for an ad-hoc project named {@code profile}, reading this schema from the environment. */
    static String profiles(final String profile) {
        return profile + ":\n  target: it\n  outputs:\n    it:\n      type: trino\n      method: none\n"
                + "      host: \"{{ env_var('TRINO_HOST') }}\"\n      port: \"{{ env_var('TRINO_PORT') | as_number }}\"\n"
                + "      user: \"{{ env_var('DBT_TRINO_USER') }}\"\n      database: iceberg\n"
                + "      schema: \"{{ env_var('DBT_SCHEMA') }}\"\n      threads: 1\n      timezone: UTC\n";
    }

    static String project(final String projectName) {
        return "name: " + projectName + "\nconfig-version: 2\nprofile: " + projectName + "\n";
    }

    @Override
    public void close() throws SQLException {
        try {
            for (final List<String> row : rows("select table_name, table_type from iceberg.information_schema.tables"
                    + " where table_schema = '" + name + "'")) {
                final String kind = "VIEW".equals(row.get(1).toUpperCase(Locale.ROOT)) ? "view" : "table";
                execute("drop " + kind + " if exists iceberg." + name + ".\"" + row.get(0) + "\"");
            }
            execute("drop schema if exists iceberg." + name);
        } finally {
            connection.close();
        }
    }
}
