package io.loyaltylakehouse.iceberg;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.trino.TrinoLogin;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table maintenance through Trino as {@code loyalty_admin}: compaction ({@code optimize}, which also folds
 * the equality and position deletes of streaming upserts into data files), snapshot expiry and orphan
 * file cleanup. Trino is the engine every deployment of this product has, so one path serves laptops and
 * clusters alike. Usage: {@code TableMaintenance compact|expire-snapshots|remove-orphans|all [table...]}.
 */
public final class TableMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(TableMaintenance.class);

    /** The one user allowed to run table procedures (trino/etc/access-control-table-procedures.properties). */
    public static final String USER = "loyalty_admin";

    private final String retention;

    public TableMaintenance(final String retention) {
        this.retention = retention;
    }

    /** The statements one task issues for one table. */
    public List<String> statements(final String task, final String table) {
        final String qualified = "iceberg.loyalty." + table;
        return switch (task) {
            case "compact" -> List.of("ALTER TABLE " + qualified + " EXECUTE optimize");
            case "expire-snapshots" ->
                List.of("ALTER TABLE " + qualified + " EXECUTE expire_snapshots(retention_threshold => '" + retention
                        + "')");
            case "remove-orphans" ->
                List.of("ALTER TABLE " + qualified + " EXECUTE remove_orphan_files(retention_threshold => '" + retention
                        + "')");
            case "all" ->
                List.of(
                        statements("compact", table).get(0),
                        statements("expire-snapshots", table).get(0),
                        statements("remove-orphans", table).get(0));
            default ->
                throw new IllegalArgumentException("unknown maintenance task '" + task
                        + "': use compact, expire-snapshots, remove-orphans or all");
        };
    }

    public void run(final TrinoLogin login, final String task, final List<String> tables) throws SQLException {
        try (Connection connection = DriverManager.getConnection(login.jdbcUrl("iceberg"), login.jdbcProperties());
                Statement statement = connection.createStatement()) {
            for (final String table : tables) {
                for (final String sql : statements(task, table)) {
                    final long started = System.nanoTime();
                    statement.execute(sql);
                    LOG.info(
                            "{} on iceberg.loyalty.{} took {} ms",
                            sql.substring(sql.indexOf("EXECUTE") + 8),
                            table,
                            (System.nanoTime() - started) / 1_000_000);
                }
            }
        }
    }

    public static void main(final String[] args) throws SQLException {
        final Settings settings = Settings.load("iceberg");
        final String task = args.length > 0 ? args[0] : "all";
        final List<String> tables = args.length > 1
                ? List.of(args).subList(1, args.length)
                : LoyaltyTables.ALL.stream()
                        .map(LoyaltyTables.TableDefinition::name)
                        .toList();
        new TableMaintenance(settings.require("iceberg.maintenance.retention"))
                .run(TrinoLogin.of(settings, USER), task, tables);
    }
}
