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
import java.util.Properties;

/**
 * Plays the legacy application on {@code legacy.members} / {@code legacy.points_transactions} (CONTRACT section 5):
 * statements run in order on one connection and commit every {@code batch} statements or after half a second, so
 * the cdc-bridge sees a steady stream of small transactions.
 */
public final class JdbcLegacyWriter implements LegacyWriter {
    private static final Duration MAX_OPEN = Duration.ofMillis(500);

    private final Connection connection;
    private final int batch;
    private final PreparedStatement insertMember;
    private final PreparedStatement updateTier;
    private final PreparedStatement insertTransaction;
    private final PreparedStatement updatePoints;
    private final PreparedStatement deleteTransaction;
    private int pending;
    private long openedAt;

    /** The ids a new run starts from: above everything the legacy DB holds. */
    public record IdBases(long memberId, long txnId) {
    }

    public JdbcLegacyWriter(final String url, final Properties credentials, final int batch) {
        this.batch = Math.max(1, batch);
        try {
            connection = DriverManager.getConnection(url, credentials);
            connection.setAutoCommit(false);
            insertMember = connection.prepareStatement("INSERT INTO legacy.members"
                    + " (member_id, email, full_name, tier, new_user_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)");
            updateTier = connection.prepareStatement(
                    "UPDATE legacy.members SET tier = ?, updated_at = ? WHERE member_id = ?");
            insertTransaction = connection.prepareStatement("INSERT INTO legacy.points_transactions"
                    + " (txn_id, member_id, points, amount, txn_type, source_txn_ref, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            updatePoints = connection.prepareStatement(
                    "UPDATE legacy.points_transactions SET points = ?, updated_at = ? WHERE txn_id = ?");
            deleteTransaction = connection.prepareStatement("DELETE FROM legacy.points_transactions WHERE txn_id = ?");
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot open the legacy database at " + url + ": " + e.getMessage(), e);
        }
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
            throw new IllegalStateException("cannot read the legacy ids (is the legacy schema applied?): "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void execute(final LegacyOp op) {
        try {
            if (op instanceof LegacyOp.InsertMember member) {
                insertMember.setLong(1, member.memberId());
                insertMember.setString(2, member.email());
                insertMember.setString(3, member.fullName());
                insertMember.setString(4, member.tier());
                insertMember.setString(5, member.newUserId());
                insertMember.setTimestamp(6, Timestamp.from(member.updatedAt()));
                insertMember.executeUpdate();
            } else if (op instanceof LegacyOp.UpdateMemberTier update) {
                updateTier.setString(1, update.tier());
                updateTier.setTimestamp(2, Timestamp.from(update.updatedAt()));
                updateTier.setLong(3, update.memberId());
                expectOneRow(updateTier.executeUpdate(), op);
            } else if (op instanceof LegacyOp.InsertTransaction txn) {
                insertTransaction.setLong(1, txn.txnId());
                insertTransaction.setLong(2, txn.memberId());
                insertTransaction.setInt(3, txn.points());
                if (txn.amount() == null) {
                    insertTransaction.setNull(4, Types.NUMERIC);
                } else {
                    insertTransaction.setBigDecimal(4, txn.amount());
                }
                insertTransaction.setString(5, txn.txnType());
                insertTransaction.setString(6, txn.sourceTxnRef());
                insertTransaction.setTimestamp(7, Timestamp.from(txn.createdAt()));
                insertTransaction.setTimestamp(8, Timestamp.from(txn.createdAt()));
                insertTransaction.executeUpdate();
            } else if (op instanceof LegacyOp.UpdateTransactionPoints update) {
                updatePoints.setInt(1, update.points());
                updatePoints.setTimestamp(2, Timestamp.from(update.updatedAt()));
                updatePoints.setLong(3, update.txnId());
                expectOneRow(updatePoints.executeUpdate(), op);
            } else if (op instanceof LegacyOp.DeleteTransaction delete) {
                deleteTransaction.setLong(1, delete.txnId());
                expectOneRow(deleteTransaction.executeUpdate(), op);
            }
        } catch (final SQLException e) {
            throw new IllegalStateException("legacy statement failed: " + op + ": " + e.getMessage(), e);
        }
        if (pending++ == 0) {
            openedAt = System.nanoTime();
        }
        if (pending >= batch || System.nanoTime() - openedAt > MAX_OPEN.toNanos()) {
            flush();
        }
    }

    private static void expectOneRow(final int rows, final LegacyOp op) {
        if (rows != 1) {
            throw new IllegalStateException("legacy statement changed " + rows + " rows instead of 1: " + op);
        }
    }

    @Override
    public void flush() {
        if (pending == 0) {
            return;
        }
        try {
            connection.commit();
            pending = 0;
        } catch (final SQLException e) {
            throw new IllegalStateException("legacy commit failed: " + e.getMessage(), e);
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
