package io.loyaltylakehouse.stack;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What the legacy tables' owner sets up so the cdc-bridge can stream them as its own role with least privilege: the
 * heartbeat table, the pgoutput publication of exactly the tables the bridge captures (Debezium's filtered mode then
 * finds it up to date and changes nothing), and the grants: CONNECT, USAGE on the schema, SELECT on the legacy
 * tables, SELECT/INSERT/UPDATE on the heartbeat table only. REPLICATION is the role's own attribute. Idempotent.
 */
public final class LegacyCdcAccess {
    /** CONTRACT section 5's tables, which the cdc-bridge captures. */
    static final List<String> LEGACY_TABLES = List.of("legacy.members", "legacy.points_transactions");

    private LegacyCdcAccess() {}

    /**
     * @param owner a connection to the legacy database as the tables' owner
     * @param heartbeatTable {@code schema.table}, or empty when the bridge writes no heartbeats
     */
    public static void grant(
            final Connection owner, final String cdcRole, final String publication, final String heartbeatTable)
            throws SQLException {
        final String role = LocalPostgres.quoted(cdcRole);
        final List<String> published = new ArrayList<>(LEGACY_TABLES);
        try (Statement statement = owner.createStatement()) {
            if (!heartbeatTable.isEmpty()) {
                statement.execute("CREATE TABLE IF NOT EXISTS " + heartbeatTable
                        + " (id integer PRIMARY KEY, beat_at timestamptz NOT NULL)");
                statement.execute("GRANT SELECT, INSERT, UPDATE ON " + heartbeatTable + " TO " + role);
                published.add(heartbeatTable);
            }
            statement.execute("DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), "
                    + LocalPostgres.literal(cdcRole) + "); END $$");
            statement.execute("GRANT USAGE ON SCHEMA legacy TO " + role);
            statement.execute("GRANT SELECT ON " + String.join(", ", LEGACY_TABLES) + " TO " + role);
            final boolean exists;
            try (ResultSet rows = statement.executeQuery(
                    "SELECT 1 FROM pg_publication WHERE pubname = " + LocalPostgres.literal(publication))) {
                exists = rows.next();
            }
            statement.execute((exists
                            ? "ALTER PUBLICATION " + LocalPostgres.quoted(publication) + " SET TABLE "
                            : "CREATE PUBLICATION " + LocalPostgres.quoted(publication) + " FOR TABLE ")
                    + String.join(", ", published));
        }
    }
}
