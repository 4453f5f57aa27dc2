package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The stack's PostgreSQL refuses password-less logins, runs no service as a superuser, keeps its files private. */
class PostgresLockdownIT {
    private static final String LEGACY_URL = "jdbc:postgresql://" + Lakehouse.SETTINGS.require("pg.host") + ":"
            + Lakehouse.SETTINGS.require("pg.port") + "/" + Lakehouse.SETTINGS.require("pg.legacy.database");

    @Test
    void aLoginWithoutOrWithAWrongPasswordIsRefused() {
        for (final String user : List.of("loyalty", "postgres", "loyalty_catalog")) {
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
            assertThat(Lakehouse.query(
                            legacy,
                            "SELECT rolname, rolsuper, rolreplication FROM pg_roles "
                                    + "WHERE rolname IN ('loyalty', 'loyalty_catalog') ORDER BY rolname"))
                    .containsExactly(List.of("loyalty", "f", "t"), List.of("loyalty_catalog", "f", "f"));
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
