package io.loyaltylakehouse.cdc.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The legacy application, writing on its own thread: inserts, point corrections, source_txn_ref changes (which move
 * a transaction to another business key) and deletes of valid transactions, one committed statement at a time,
 * until stopped or {@code maxOps} is reached.
 */
final class LegacyWriter implements AutoCloseable {
    private final String url;
    private final String user;
    private final String password;
    private final long[] memberIds;
    private final int maxOps;
    private final Random random;
    private final List<Long> liveTxnIds = new ArrayList<>();
    private final AtomicInteger ops = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopRequested;
    private long nextTxnId;
    private Thread thread;

    LegacyWriter(
            final String url,
            final String user,
            final String password,
            final long[] memberIds,
            final long firstTxnId,
            final int maxOps,
            final long seed) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.memberIds = memberIds.clone();
        this.nextTxnId = firstTxnId;
        this.maxOps = maxOps;
        this.random = new Random(seed);
    }

    LegacyWriter start() {
        stopRequested = false;
        thread = new Thread(this::writeUntilStopped, "legacy-writer");
        thread.start();
        return this;
    }

    int ops() {
        return ops.get();
    }

    /** Stops writing and waits for the last statement to commit; rethrows what broke the writer, if anything. */
    void stop() throws InterruptedException {
        stopRequested = true;
        thread.join();
        if (failure.get() != null) {
            throw new IllegalStateException("the legacy writer failed", failure.get());
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (thread != null && thread.isAlive()) {
            stop();
        }
    }

    private void writeUntilStopped() {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(true);
            while (!stopRequested && ops.get() < maxOps) {
                writeOne(connection);
                ops.incrementAndGet();
            }
        } catch (final SQLException | RuntimeException e) {
            failure.set(e);
        }
    }

    private void writeOne(final Connection connection) throws SQLException {
        final double dice = random.nextDouble();
        if (liveTxnIds.size() < 20 || dice < 0.45) {
            final long txnId = nextTxnId++;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO legacy.points_transactions "
                    + "(txn_id, member_id, points, amount, txn_type, source_txn_ref, created_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, 'EARN', ?, now(), now())")) {
                final int points = 1 + random.nextInt(500);
                insert.setLong(1, txnId);
                insert.setLong(2, memberIds[random.nextInt(memberIds.length)]);
                insert.setInt(3, points);
                insert.setBigDecimal(4, java.math.BigDecimal.valueOf(points * 100L + random.nextInt(100), 2));
                insert.setString(5, random.nextInt(4) == 0 ? "it-ref-" + txnId : null);
                insert.executeUpdate();
            }
            liveTxnIds.add(txnId);
            return;
        }
        final int index = random.nextInt(liveTxnIds.size());
        final long txnId = liveTxnIds.get(index);
        if (dice < 0.75) {
            execute(
                    connection,
                    "UPDATE legacy.points_transactions SET points = ?, updated_at = now() " + "WHERE txn_id = ?",
                    1 + random.nextInt(900),
                    txnId);
        } else if (dice < 0.87) {
            // toggles the business key between legacy-<txn_id> and a source_txn_ref
            execute(
                    connection,
                    "UPDATE legacy.points_transactions SET source_txn_ref = CASE WHEN source_txn_ref "
                            + "IS NULL THEN 'it-ref-' || txn_id ELSE NULL END, updated_at = now() WHERE txn_id = ?",
                    txnId);
        } else {
            execute(connection, "DELETE FROM legacy.points_transactions WHERE txn_id = ?", txnId);
            liveTxnIds.remove(index);
        }
    }

    private static void execute(final Connection connection, final String sql, final Object... args)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }
}
