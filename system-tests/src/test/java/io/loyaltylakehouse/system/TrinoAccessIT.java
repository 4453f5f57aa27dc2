package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.trino.TrinoLogin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT section 8 as a matrix: every statement class tried as every user on the running Trino, through its
 * HTTPS port with the generated passwords. Probe tables (never the pipeline's own) are made by loyalty_admin in
 * both schemas, so the rules for {@code iceberg.loyalty} and {@code iceberg.analytics} are each exercised.
 */
class TrinoAccessIT {
    private static final List<String> USERS = List.of("analyst", "dbt", "loyalty_admin");
    private static final List<String> SCHEMAS = List.of("loyalty", "analytics");
    private static final String RUN =
            UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    /** A statement class; {@code %s} is the probe table of the user and schema. */
    private record Probe(String name, String sql) {}

    private static final List<Probe> PROBES = List.of(
            new Probe("SELECT", "SELECT count(*) FROM %s"),
            new Probe("INSERT", "INSERT INTO %s VALUES (2, 'b')"),
            new Probe("UPDATE", "UPDATE %s SET label = 'c' WHERE id = 2"),
            new Probe("DELETE", "DELETE FROM %s WHERE id = 2"),
            new Probe(
                    "MERGE",
                    "MERGE INTO %s t USING (VALUES (3, 'm')) AS s (id, label) ON t.id = s.id "
                            + "WHEN MATCHED THEN UPDATE SET label = s.label WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.label)"),
            new Probe("CTAS", "CREATE TABLE %s_ctas AS SELECT * FROM %1$s"),
            new Probe("EXECUTE optimize", "ALTER TABLE %s EXECUTE optimize"),
            new Probe(
                    "EXECUTE expire_snapshots", "ALTER TABLE %s EXECUTE expire_snapshots(retention_threshold => '7d')"),
            new Probe(
                    "EXECUTE remove_orphan_files",
                    "ALTER TABLE %s EXECUTE remove_orphan_files(retention_threshold => '7d')"),
            new Probe("EXECUTE drop_extended_stats", "ALTER TABLE %s EXECUTE drop_extended_stats"),
            new Probe("DROP", "DROP TABLE %s"));

    /** Statement classes whose answer does not depend on the schema. */
    private static final List<Probe> SESSION_PROBES = List.of(
            new Probe("SET SESSION query_max_run_time", "SET SESSION query_max_run_time = '1h'"),
            new Probe(
                    "SET SESSION iceberg.remove_orphan_files_min_retention",
                    "SET SESSION iceberg.remove_orphan_files_min_retention = '0s'"),
            new Probe(
                    "SET SESSION iceberg.expire_snapshots_min_retention",
                    "SET SESSION iceberg.expire_snapshots_min_retention = '0s'"),
            new Probe(
                    "CALL iceberg.system.register_table",
                    "CALL iceberg.system.register_table('analytics', 'never_" + RUN + "', 'file:///nowhere')"));

    @BeforeAll
    static void createProbeTables() throws SQLException {
        try (Connection admin = Lakehouse.trino("loyalty_admin")) {
            for (final String schema : SCHEMAS) {
                for (final String user : USERS) {
                    Lakehouse.execute(
                            admin, "CREATE TABLE " + table(schema, user) + " AS SELECT 1 AS id, 'a' AS label");
                }
            }
        }
    }

    @AfterAll
    static void dropProbeTables() throws SQLException {
        try (Connection admin = Lakehouse.trino("loyalty_admin")) {
            for (final String schema : SCHEMAS) {
                for (final String user : USERS) {
                    Lakehouse.execute(admin, "DROP TABLE IF EXISTS " + table(schema, user));
                    Lakehouse.execute(admin, "DROP TABLE IF EXISTS " + table(schema, user) + "_ctas");
                }
            }
        }
    }

    @Test
    void everyUserMayDoExactlyWhatTheContractSays() throws SQLException {
        final Map<String, Map<String, Boolean>> actual = new LinkedHashMap<>();
        for (final String user : USERS) {
            try (Connection connection = Lakehouse.trino(user)) {
                for (final String schema : SCHEMAS) {
                    for (final Probe probe : PROBES) {
                        actual.computeIfAbsent(probe.name() + " in " + schema, name -> new LinkedHashMap<>())
                                .put(user, allowed(connection, String.format(probe.sql(), table(schema, user))));
                    }
                }
                for (final Probe probe : SESSION_PROBES) {
                    actual.computeIfAbsent(probe.name(), name -> new LinkedHashMap<>())
                            .put(user, allowed(connection, probe.sql()));
                }
            }
        }
        for (final String user : USERS) {
            try (Connection connection = Lakehouse.trino(user)) {
                actual.computeIfAbsent("see other users' queries", name -> new LinkedHashMap<>())
                        .put(
                                user,
                                Long.parseLong(Lakehouse.query(
                                                        connection,
                                                        "SELECT count(*) FROM system.runtime.queries "
                                                                + "WHERE \"user\" <> '" + user + "'")
                                                .get(0)
                                                .get(0))
                                        > 0);
            }
        }
        print(actual);

        assertThat(actual).isEqualTo(expected());
    }

    @Test
    void aWrongOrMissingPasswordOrUnknownUserIsRefused() {
        final TrinoLogin analyst = TrinoLogin.of(Lakehouse.SETTINGS, "analyst");
        final Properties wrong = analyst.jdbcProperties();
        wrong.setProperty("password", "not-" + analyst.password());
        final Properties missing = analyst.jdbcProperties();
        missing.remove("password");
        final Properties stranger = analyst.jdbcProperties();
        stranger.setProperty("user", "mallory");

        for (final Properties properties : List.of(wrong, stranger)) {
            assertThatThrownBy(() -> select(analyst, properties)).hasMessageContaining("Invalid credentials");
        }
        assertThatThrownBy(() -> select(analyst, missing)).isInstanceOf(SQLException.class);
    }

    @Test
    void plainHttpIsClosedToClients() throws Exception {
        final HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                        + Lakehouse.SETTINGS.require("trino.internal.port") + "/v1/statement"))
                                .header("X-Trino-User", "loyalty_admin")
                                .POST(HttpRequest.BodyPublishers.ofString("SELECT 1"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(403);
    }

    private static void select(final TrinoLogin login, final Properties properties) throws SQLException {
        try (Connection connection = DriverManager.getConnection(login.jdbcUrl("iceberg"), properties)) {
            Lakehouse.query(connection, "SELECT 1");
        }
    }

    private static Map<String, Map<String, Boolean>> expected() {
        final Map<String, Map<String, Boolean>> expected = new LinkedHashMap<>();
        for (final String schema : SCHEMAS) {
            for (final Probe probe : PROBES) {
                final boolean read = probe.name().equals("SELECT");
                final boolean write = !read && !probe.name().startsWith("EXECUTE");
                // dbt writes only in analytics; table procedures are loyalty_admin's alone.
                expected.put(
                        probe.name() + " in " + schema,
                        Map.of(
                                "analyst",
                                read,
                                "dbt",
                                read || (write && schema.equals("analytics")),
                                "loyalty_admin",
                                true));
            }
        }
        expected.put("SET SESSION query_max_run_time", Map.of("analyst", true, "dbt", true, "loyalty_admin", true));
        for (final String retention : List.of("remove_orphan_files", "expire_snapshots")) {
            expected.put(
                    "SET SESSION iceberg." + retention + "_min_retention",
                    Map.of("analyst", false, "dbt", false, "loyalty_admin", true));
        }
        expected.put(
                "CALL iceberg.system.register_table", Map.of("analyst", false, "dbt", false, "loyalty_admin", true));
        expected.put("see other users' queries", Map.of("analyst", false, "dbt", false, "loyalty_admin", true));
        return expected;
    }

    /** True when Trino ran it or refused it for a reason other than access (e.g. register_table's bogus path). */
    private static boolean allowed(final Connection connection, final String sql) {
        try {
            Lakehouse.execute(connection, sql);
            return true;
        } catch (final SQLException e) {
            if (e.getMessage().contains("Access Denied")) {
                return false;
            }
            if (sql.startsWith("CALL iceberg.system.register_table")) {
                return true;
            }
            throw new AssertionError("'" + sql + "' failed for a reason other than access: " + e.getMessage(), e);
        }
    }

    private static String table(final String schema, final String user) {
        return "iceberg." + schema + ".access_probe_" + RUN + "_" + user;
    }

    private static void print(final Map<String, Map<String, Boolean>> matrix) {
        final List<String> lines = new ArrayList<>();
        lines.add(String.format("%-55s %-8s %-8s %-13s", "statement", "analyst", "dbt", "loyalty_admin"));
        matrix.forEach((statement, byUser) -> lines.add(String.format(
                "%-55s %-8s %-8s %-13s",
                statement, word(byUser.get("analyst")), word(byUser.get("dbt")), word(byUser.get("loyalty_admin")))));
        System.out.println(String.join("\n", lines));
    }

    private static String word(final Boolean allowed) {
        return Boolean.TRUE.equals(allowed) ? "allowed" : "denied";
    }
}
