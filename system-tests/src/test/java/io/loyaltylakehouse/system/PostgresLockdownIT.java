package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The stack's PostgreSQL refuses password-less logins, runs no service as a superuser, gives the cdc-bridge's role
 * only what it streams, keeps its files private; and the launcher's children carry only the secrets they read.
 */
class PostgresLockdownIT {
    private static final String CDC_ROLE = Lakehouse.SETTINGS.require("pg.cdc.user");
    private static final String LEGACY_URL = "jdbc:postgresql://" + Lakehouse.SETTINGS.require("pg.host") + ":"
            + Lakehouse.SETTINGS.require("pg.port") + "/" + Lakehouse.SETTINGS.require("pg.legacy.database");

    @Test
    void aLoginWithoutOrWithAWrongPasswordIsRefused() {
        for (final String user : List.of("loyalty", "postgres", "loyalty_catalog", CDC_ROLE)) {
            final Properties none = new Properties();
            none.setProperty("user", user);
            final Properties wrong = new Properties();
            wrong.setProperty("user", user);
            wrong.setProperty("password", "not-the-password");

            assertThatThrownBy(
                            () -> DriverManager.getConnection(LEGACY_URL, none).close())
                    .hasMessageContaining("no password");
            assertThatThrownBy(
                            () -> DriverManager.getConnection(LEGACY_URL, wrong).close())
                    .hasMessageContaining("password authentication failed");
        }
    }

    @Test
    void noServiceRoleIsASuperuserAndEachOwnsOnlyItsDatabase() throws Exception {
        try (Connection legacy = Lakehouse.postgres(Lakehouse.SETTINGS.require("pg.legacy.database"))) {
            assertThat(
                            Lakehouse.query(
                                    legacy,
                                    "SELECT rolname, rolsuper, rolreplication FROM pg_roles "
                                            + "WHERE rolname IN ('loyalty', 'loyalty_catalog', 'loyalty_cdc') ORDER BY rolname"))
                    .containsExactly(
                            List.of("loyalty", "f", "f"),
                            List.of("loyalty_catalog", "f", "f"),
                            List.of("loyalty_cdc", "f", "t"));
            assertThat(Lakehouse.query(
                            legacy,
                            "SELECT datname, pg_get_userbyid(datdba) FROM pg_database "
                                    + "WHERE datname IN ('legacy', 'iceberg_catalog') ORDER BY datname"))
                    .containsExactly(List.of("iceberg_catalog", "loyalty_catalog"), List.of("legacy", "loyalty"));
        }
        try (Connection catalog = Lakehouse.postgres(Lakehouse.SETTINGS.require("pg.catalog.database"))) {
            assertThatThrownBy(() -> Lakehouse.execute(catalog, "DELETE FROM iceberg_tables WHERE false"))
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void theCdcRoleReadsTheLegacyTablesAndChangesNothing() throws Exception {
        final String password = Credentials.load(Lakehouse.SETTINGS).secret(Credentials.pgPasswordName(CDC_ROLE));
        try (Connection cdc = DriverManager.getConnection(LEGACY_URL, CDC_ROLE, password)) {
            assertThat(Lakehouse.query(cdc, "SELECT count(*) >= 0 FROM legacy.members"))
                    .containsExactly(List.of("t"));
            assertThat(Lakehouse.query(cdc, "SELECT count(*) >= 0 FROM legacy.points_transactions"))
                    .containsExactly(List.of("t"));
            for (final String change : List.of(
                    "INSERT INTO legacy.members (member_id) VALUES (-1)",
                    "UPDATE legacy.members SET tier = tier WHERE false",
                    "DELETE FROM legacy.points_transactions WHERE false",
                    "CREATE TABLE legacy.cdc_owned (a integer)",
                    "ALTER TABLE legacy.members REPLICA IDENTITY DEFAULT")) {
                assertThatThrownBy(() -> Lakehouse.execute(cdc, change))
                        .as(change)
                        .hasMessageMatching("(?s).*(permission denied|must be owner).*");
            }
        }
        final String catalogUrl = LEGACY_URL.replace(
                "/" + Lakehouse.SETTINGS.require("pg.legacy.database"),
                "/" + Lakehouse.SETTINGS.require("pg.catalog.database"));
        assertThatThrownBy(() -> DriverManager.getConnection(catalogUrl, CDC_ROLE, password)
                        .close())
                .hasMessageContaining("permission denied for database");
    }

    @Test
    void eachRunningChildCarriesOnlyTheSecretsItReads() throws Exception {
        final Path run = Path.of(Lakehouse.SETTINGS.require("data.dir"), "run");
        final Map<String, List<String>> secrets = new TreeMap<>();
        try (var pidFiles = Files.list(run)) {
            for (final Path pidFile :
                    pidFiles.filter(file -> file.toString().endsWith(".pid")).toList()) {
                final String name = pidFile.getFileName().toString().replace(".pid", "");
                final Path environ = Path.of("/proc", Files.readString(pidFile).trim(), "environ");
                if (!name.equals("supervisor") && Files.isReadable(environ)) {
                    secrets.put(name, secretsIn(Files.readAllBytes(environ)));
                }
            }
        }
        System.out.println("secrets in each child's environment: " + secrets);

        final String cdcPassword = Credentials.pgPasswordName(CDC_ROLE);
        final String catalogPassword = Credentials.pgPasswordName(Lakehouse.SETTINGS.require("pg.catalog.user"));
        assertThat(secrets)
                .containsKeys("kafka", "postgres", "trino", "edge-streams", "cdc-bridge", "flink-reconciler")
                .allSatisfy((name, names) -> assertThat(names)
                        .as(name)
                        .isSubsetOf(
                                switch (name) {
                                    case "postgres" ->
                                        names.stream()
                                                .filter(variable -> variable.startsWith("PG_PASSWORD"))
                                                .toList();
                                    case "cdc-bridge" -> List.of(cdcPassword);
                                    case "flink-reconciler" -> List.of(catalogPassword);
                                    case "edge-streams" -> List.of("EDGE_FORWARDING_SECRET", "EDGE_API_TOKEN");
                                    case "postgres-exporter" -> List.of("DATA_SOURCE_NAME");
                                    case "dagster-code-server", "dagster-webserver", "dagster-daemon" ->
                                        List.of("TRINO_PASSWORD_DBT");
                                    default -> List.of();
                                }));
        assertThat(secrets.get("postgres")).contains("PG_PASSWORD");
        assertThat(secrets.get("edge-streams")).doesNotContain("PG_PASSWORD");
    }

    /** The names of the variables with a non-empty value that hold a password, token or secret. */
    private static List<String> secretsIn(final byte[] environ) {
        return java.util.Arrays.stream(new String(environ, StandardCharsets.UTF_8).split("\0"))
                .filter(entry -> entry.contains("=") && !entry.endsWith("="))
                .map(entry -> entry.substring(0, entry.indexOf('=')))
                .filter(name -> name.contains("PASSWORD")
                        || name.contains("SECRET")
                        || name.endsWith("_TOKEN")
                        || name.equals("DATA_SOURCE_NAME")
                        || name.equals("KAFKA_CLIENT_SASL_JAAS_CONFIG"))
                .sorted()
                .toList();
    }

    @Test
    void dataAndBinariesAreTheOwnersAlone() throws Exception {
        final Path data = Path.of(Lakehouse.SETTINGS.require("data.dir"));
        for (final Path directory : List.of(
                data,
                data.resolve("postgres"),
                data.resolve("postgres-binaries"),
                data.resolve("tls"),
                data.resolve("trino"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .as(directory.toString())
                    .isEqualTo("rwx------");
        }
        for (final Path secret : List.of(
                data.resolve("credentials.env"),
                data.resolve("tls/trino-server.pem"),
                data.resolve("trino/etc/password.db"),
                data.resolve("trino/etc/catalog/iceberg.properties"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)))
                    .as(secret.toString())
                    .isEqualTo("rw-------");
        }
    }
}
