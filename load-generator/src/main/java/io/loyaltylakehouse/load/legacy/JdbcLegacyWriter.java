package io.loyaltylakehouse.load.legacy;

import io.loyaltylakehouse.load.LegacyWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays the legacy application on {@code legacy.members} / {@code legacy.points_transactions} (CONTRACT section 5):
 * statements run in order on one connection and commit every {@code batch} statements or after half a second, so
 * the cdc-bridge sees a steady stream of small transactions.
 *
 * <p>It survives a database restart (a chaos run kills PostgreSQL): when a statement or commit fails because the
 * connection broke, it reconnects and runs the open batch again in a new transaction. Every statement is written to
 * be idempotent (inserts skip rows that exist, updates set absolute values, deletes of absent rows change nothing),
 * so a batch whose commit did reach the database before the connection broke ends in the same state when replayed.
 */
public final class JdbcLegacyWriter implements LegacyWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcLegacyWriter.class);
    private static final Duration MAX_OPEN = Duration.ofMillis(500);
    /** SQLSTATE class 08 (connection exception) and 57P (operator intervention: shutdown, crash recovery). */
    private static final List<String> LOST_CONNECTION = List.of("08", "57P");

    private final String url;
    private final Properties credentials;
    private final int batch;
    private final Duration reconnectFor;
    private final List<LegacyOp> open = new ArrayList<>();
    private Connection connection;
    private long openedAt;

    /** The ids a new run starts from: above everything the legacy DB holds. */
    public record IdBases(long memberId, long txnId) {}

    public JdbcLegacyWriter(
            final String url, final Properties credentials, final int batch, final Duration reconnectFor) {
        this.url = url;
        this.credentials = credentials;
        this.batch = Math.max(1, batch);
        this.reconnectFor = reconnectFor;
        try {
            connect();
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot open the legacy database at " + url + ": " + e.getMessage(), e);
        }
    }

    private void connect() throws SQLException {
        connection = DriverManager.getConnection(url, credentials);
        connection.setAutoCommit(false);
    }

    /** The next free member_id and txn_id. */
    public IdBases idBases() {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT"
                        + " (SELECT coalesce(max(member_id), 0) + 1 FROM legacy.members),"
                        + " (SELECT coalesce(max(txn_id), 0) + 1 FROM legacy.points_transactions)")) {
            rows.next();
            final IdBases bases = new IdBases(rows.getLong(1), rows.getLong(2));
            connection.commit();
            return bases;
        } catch (final SQLException e) {
            throw new IllegalStateException(
                    "cannot read the legacy ids (is the legacy schema applied?): " + e.getMessage(), e);
        }
    }

    @Override
    public void execute(final LegacyOp op) {
        if (op instanceof LegacyOp.DeleteMember) {
            // its own database transaction: the account closes as one change
            flush();
            open.add(op);
            commitWithRetry(true);
            return;
        }
        if (open.isEmpty()) {
            openedAt = System.nanoTime();
        }
        open.add(op);
        try {
            run(op);
        } catch (final SQLException e) {
            recover(e);
        }
        if (open.size() >= batch || System.nanoTime() - openedAt > MAX_OPEN.toNanos()) {
            flush();
        }
    }

    @Override
    public void flush() {
        if (!open.isEmpty()) {
            commitWithRetry(false);
        }
    }

    private void commitWithRetry(final boolean runFirst) {
        try {
            if (runFirst) {
                for (final LegacyOp op : open) {
                    run(op);
                }
            }
            connection.commit();
            open.clear();
        } catch (final SQLException e) {
            recover(e);
            try {
                connection.commit();
                open.clear();
            } catch (final SQLException again) {
                throw new IllegalStateException(
                        "legacy commit failed after reconnecting: " + again.getMessage(), again);
            }
        }
    }

    /** A broken connection: reconnect and run the open batch again; anything else is a real error. */
    private void recover(final SQLException cause) {
        if (!lostConnection(cause)) {
            throw new IllegalStateException("legacy statement failed: " + cause.getMessage(), cause);
        }
        LOG.warn(
                "legacy database connection lost ({}): reconnecting and replaying {} statements",
                cause.getMessage(),
                open.size());
        final long deadline = System.nanoTime() + reconnectFor.toNanos();
        SQLException last = cause;
        while (System.nanoTime() < deadline) {
            try {
                closeQuietly();
                connect();
                for (final LegacyOp op : open) {
                    run(op);
                }
                LOG.info("legacy database reachable again: {} statements replayed", open.size());
                return;
            } catch (final SQLException e) {
                if (!lostConnection(e)) {
                    throw new IllegalStateException("legacy statement failed on replay: " + e.getMessage(), e);
                }
                last = e;
                try {
                    Thread.sleep(500);
                } catch (final InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(
                            "interrupted while reconnecting to the legacy database", interrupted);
                }
            }
        }
        throw new IllegalStateException(
                "legacy database unreachable for " + reconnectFor + ": " + last.getMessage(), last);
    }

    private static boolean lostConnection(final SQLException e) {
        final String state = e.getSQLState();
        return state != null && LOST_CONNECTION.stream().anyMatch(state::startsWith);
    }

    /** One statement, written so that running it twice gives the state of running it once. */
    private void run(final LegacyOp op) throws SQLException {
        if (op instanceof LegacyOp.InsertMember member) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO legacy.members"
                    + " (member_id, email, full_name, tier, new_user_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (member_id) DO NOTHING")) {
                insert.setLong(1, member.memberId());
                insert.setString(2, member.email());
                insert.setString(3, member.fullName());
                insert.setString(4, member.tier());
                insert.setString(5, member.newUserId());
                insert.setTimestamp(6, Timestamp.from(member.updatedAt()));
                insert.executeUpdate();
            }
        } else if (op instanceof LegacyOp.UpdateMemberTier update) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE legacy.members SET tier = ?, updated_at = ? WHERE member_id = ?")) {
                statement.setString(1, update.tier());
                statement.setTimestamp(2, Timestamp.from(update.updatedAt()));
                statement.setLong(3, update.memberId());
                expectOneRow(statement.executeUpdate(), op);
            }
        } else if (op instanceof LegacyOp.InsertTransaction txn) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO legacy.points_transactions"
                    + " (txn_id, member_id, points, amount, txn_type, source_txn_ref, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (txn_id) DO NOTHING")) {
                insert.setLong(1, txn.txnId());
                insert.setLong(2, txn.memberId());
                insert.setInt(3, txn.points());
                if (txn.amount() == null) {
                    insert.setNull(4, Types.NUMERIC);
                } else {
                    insert.setBigDecimal(4, txn.amount());
                }
                insert.setString(5, txn.txnType());
                insert.setString(6, txn.sourceTxnRef());
                insert.setTimestamp(7, Timestamp.from(txn.createdAt()));
                insert.setTimestamp(8, Timestamp.from(txn.createdAt()));
                insert.executeUpdate();
            }
        } else if (op instanceof LegacyOp.UpdateTransactionPoints update) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "UPDATE legacy.points_transactions SET points = ?, updated_at = ? WHERE txn_id = ?")) {
                statement.setInt(1, update.points());
                statement.setTimestamp(2, Timestamp.from(update.updatedAt()));
                statement.setLong(3, update.txnId());
                expectOneRow(statement.executeUpdate(), op);
            }
        } else if (op instanceof LegacyOp.DeleteTransaction delete) {
            try (PreparedStatement statement =
                    connection.prepareStatement("DELETE FROM legacy.points_transactions WHERE txn_id = ?")) {
                statement.setLong(1, delete.txnId());
                statement.executeUpdate();
            }
        } else if (op instanceof LegacyOp.DeleteMember member) {
            try (PreparedStatement transactions =
                            connection.prepareStatement("DELETE FROM legacy.points_transactions WHERE member_id = ?");
                    PreparedStatement members =
                            connection.prepareStatement("DELETE FROM legacy.members WHERE member_id = ?")) {
                transactions.setLong(1, member.memberId());
                transactions.executeUpdate();
                members.setLong(1, member.memberId());
                members.executeUpdate();
            }
        }
    }

    private static void expectOneRow(final int rows, final LegacyOp op) {
        if (rows != 1) {
            throw new IllegalStateException("legacy statement changed " + rows + " rows instead of 1: " + op);
        }
    }

    private void closeQuietly() {
        try {
            connection.close();
        } catch (final SQLException e) {
            LOG.debug("closing a broken legacy connection: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot close the legacy connection: " + e.getMessage(), e);
        }
    }

    /** {@code jdbc:postgresql://host:port/database}. */
    public static String url(final String host, final String port, final String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }
}
