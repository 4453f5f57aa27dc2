package io.loyaltylakehouse.cdc.legacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.LegacyMember;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bridge's own JDBC view of the legacy database (not the replication stream): startup checks, member lookups
 * on a cache miss, a member's current transactions, and the replication slot's lag. One connection, reopened when
 * it broke; failures surface as {@link IllegalStateException} naming what was asked (never as a dead letter).
 */
public final class LegacyDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LegacyDatabase.class);

    private final String url;
    private final String user;
    private final String password;
    private Connection connection;

    public LegacyDatabase(final String url, final String user, final String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    /**
     * Checks what the bridge needs but, not being the tables' owner, cannot make itself: the captured tables with
     * {@code REPLICA IDENTITY FULL} (so updates and deletes carry the old row) and the heartbeat table when one is
     * configured. Their owner makes them: {@code legacy/schema.sql}, then the launcher's cdc access step (make up).
     */
    public synchronized void prepare(final List<String> capturedTables, final String heartbeatTable) {
        try (Statement statement = connection().createStatement()) {
            for (final String table : capturedTables) {
                try (ResultSet rs = statement.executeQuery(
                        "SELECT c.relreplident FROM pg_class c WHERE c.oid = " + "to_regclass('" + table + "')")) {
                    if (!rs.next()) {
                        throw new IllegalStateException("table " + table + " does not exist in " + url
                                + ": its owner applies legacy/schema.sql (cdc-bridge resources) first");
                    }
                    if (!"f".equals(rs.getString(1))) {
                        throw new IllegalStateException("table " + table + " lacks REPLICA IDENTITY FULL, so updates"
                                + " and deletes would not carry the old row: its owner applies legacy/schema.sql");
                    }
                }
            }
            if (!heartbeatTable.isEmpty()) {
                try (ResultSet rs = statement.executeQuery("SELECT to_regclass('" + heartbeatTable + "')")) {
                    if (!rs.next() || rs.getString(1) == null) {
                        throw new IllegalStateException("heartbeat table " + heartbeatTable + " does not exist in "
                                + url + ": the legacy tables' owner creates it with the bridge's grants (make up)");
                    }
                }
            }
        } catch (final SQLException e) {
            throw failure("preparing the legacy tables", e);
        }
    }

    /** The member's user_id by the contract's rule, or empty when there is no such member. */
    public synchronized Optional<String> userIdOf(final long memberId) {
        try (PreparedStatement query =
                connection().prepareStatement("SELECT new_user_id FROM legacy.members WHERE member_id = ?")) {
            query.setLong(1, memberId);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(LegacyMember.userIdOf(memberId, rs.getString(1))) : Optional.empty();
            }
        } catch (final SQLException e) {
            throw failure("looking up member " + memberId, e);
        }
    }

    /** The member's transactions as they are now, each shaped like a Debezium row image. */
    public synchronized List<JsonNode> transactionsOf(final long memberId) {
        try (PreparedStatement query = connection()
                .prepareStatement("SELECT txn_id, member_id, points, amount, "
                        + "txn_type, source_txn_ref, created_at, updated_at FROM legacy.points_transactions "
                        + "WHERE member_id = ? ORDER BY txn_id")) {
            query.setLong(1, memberId);
            final List<JsonNode> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(rowImage(rs));
                }
            }
            return rows;
        } catch (final SQLException e) {
            throw failure("reading the transactions of member " + memberId, e);
        }
    }

    /** Bytes of WAL the slot still holds back (current WAL position minus what the bridge confirmed). */
    public synchronized OptionalLong slotLagBytes(final String slotName) {
        try (PreparedStatement query = connection()
                .prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), "
                        + "confirmed_flush_lsn)::bigint FROM pg_replication_slots WHERE slot_name = ?")) {
            query.setString(1, slotName);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return OptionalLong.empty();
                }
                final long lag = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(lag);
            }
        } catch (final SQLException e) {
            throw failure("reading the lag of slot " + slotName, e);
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }

    private static ObjectNode rowImage(final ResultSet rs) throws SQLException {
        final ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("txn_id", rs.getLong("txn_id"));
        final long memberId = rs.getLong("member_id");
        if (rs.wasNull()) {
            row.putNull("member_id");
        } else {
            row.put("member_id", memberId);
        }
        final int points = rs.getInt("points");
        if (rs.wasNull()) {
            row.putNull("points");
        } else {
            row.put("points", points);
        }
        final BigDecimal amount = rs.getBigDecimal("amount");
        row.put("amount", amount == null ? null : amount.toPlainString());
        row.put("txn_type", rs.getString("txn_type"));
        row.put("source_txn_ref", rs.getString("source_txn_ref"));
        row.put("created_at", instantText(rs.getObject("created_at", OffsetDateTime.class)));
        row.put("updated_at", instantText(rs.getObject("updated_at", OffsetDateTime.class)));
        return row;
    }

    private static String instantText(final OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            closeQuietly();
            connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(true);
        }
        return connection;
    }

    private IllegalStateException failure(final String what, final SQLException e) {
        closeQuietly(); // the next call reconnects
        return new IllegalStateException("legacy database (" + url + "): failed " + what + ": " + e.getMessage(), e);
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (final SQLException e) {
                LOG.debug("closing a broken connection failed: {}", e.toString());
            }
            connection = null;
        }
    }
}
