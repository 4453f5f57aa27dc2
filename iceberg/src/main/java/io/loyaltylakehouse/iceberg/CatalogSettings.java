package io.loyaltylakehouse.iceberg;

import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * Where the Iceberg catalog and warehouse are, from the shared settings ({@code pg.*}, {@code iceberg.*},
 * {@code data.dir}); the catalog role's password from {@link Credentials} ({@code PG_PASSWORD_<ROLE>}). Precedence is that of {@link Settings}: system property, environment, defaults.
 * The catalog name must equal Trino's {@code iceberg.jdbc-catalog.catalog-name}, and the JDBC schema
 * version must be V1 (Trino reads the {@code iceberg_type} column that V1 adds).
 */
public record CatalogSettings(
        String name,
        String jdbcUrl,
        String user,
        Optional<String> password,
        String warehouse,
        Supplier<IllegalStateException> noPassword) {

    public static final String JDBC_CATALOG_IMPL = JdbcCatalog.class.getName();

    public static CatalogSettings from(final Settings settings) {
        final String jdbcUrl = "jdbc:postgresql://" + settings.require("pg.host") + ":" + settings.require("pg.port")
                + "/" + settings.require("pg.catalog.database");
        final Credentials credentials = Credentials.load(settings);
        final String passwordName = Credentials.pgPasswordName(settings.require("pg.catalog.user"));
        // The password is only needed to open the catalog, so settings without it can still be read and checked.
        return new CatalogSettings(
                settings.require("iceberg.catalog.name"),
                jdbcUrl,
                settings.require("pg.catalog.user"),
                credentials.find(passwordName),
                warehouseUri(settings),
                () -> credentials.missing(passwordName));
    }

    /** The catalog role's password; fails with where it should come from. */
    public String requirePassword() {
        return password.orElseThrow(noPassword);
    }

    /** {@code iceberg.warehouse} if set, else {@code <data.dir>/warehouse}, always as a {@code file:} URI. */
    static String warehouseUri(final Settings settings) {
        final String configured = settings.get("iceberg.warehouse", "");
        if (!configured.isEmpty()) {
            return configured.contains(":/")
                    ? configured
                    : Path.of(configured).toAbsolutePath().normalize().toUri().toString();
        }
        return Path.of(settings.require("data.dir"), "warehouse")
                .toAbsolutePath()
                .normalize()
                .toUri()
                .toString();
    }

    /** The properties a {@code JdbcCatalog} (Java or Flink's CatalogLoader) is initialized with. */
    public Map<String, String> catalogProperties() {
        final Map<String, String> properties = new HashMap<>();
        properties.put(CatalogProperties.CATALOG_IMPL, JDBC_CATALOG_IMPL);
        properties.put(CatalogProperties.URI, jdbcUrl);
        properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
        properties.put("jdbc.user", user);
        properties.put("jdbc.password", requirePassword());
        properties.put("jdbc.schema-version", "V1");
        return Map.copyOf(properties);
    }

    /** Opens the catalog; creates the catalog's own tables in PostgreSQL on first use. */
    public JdbcCatalog open() {
        return (JdbcCatalog) CatalogUtil.buildIcebergCatalog(name, catalogProperties(), new Configuration());
    }
}
