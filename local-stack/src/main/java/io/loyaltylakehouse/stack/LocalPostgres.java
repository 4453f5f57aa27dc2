package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Settings;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL (real server binaries shipped through Maven) for the legacy database and the Iceberg
 * catalog. Logical WAL for Debezium, and {@code fsync}/{@code synchronous_commit} back on: the
 * embedded default turns them off, which would lose committed legacy rows in a crash.
 */
public final class LocalPostgres {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    private LocalPostgres() {
    }

    static EmbeddedPostgres start(final StackSettings stack) throws IOException {
        final Path dataDir = stack.dataDir().resolve("postgres");
        Files.createDirectories(dataDir.getParent());
        stopOrphan(dataDir);
        return EmbeddedPostgres.builder()
                .setPort(stack.pgPort())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "16")
                .setServerConfig("max_wal_senders", "16")
                // a stalled or abandoned replication slot may hold at most this much WAL, not the whole disk
                .setServerConfig("max_slot_wal_keep_size", "2GB")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("timezone", "UTC")
                .setPGStartupWait(java.time.Duration.ofSeconds(60))
                .start();
    }

    /**
     * If this wrapper was killed hard, its server kept running and still holds the data directory:
     * ask that server (the pid in postmaster.pid) for a fast shutdown before starting again.
     */
    static void stopOrphan(final Path dataDir) throws IOException {
        final Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        final long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        final var orphan = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (orphan.isPresent()) {
            LOG.warn("PostgreSQL from an earlier run (pid {}) still holds {}: stopping it", pid, dataDir);
            new ProcessBuilder("kill", "-INT", Long.toString(pid)).inheritIO().start();
            final long deadline = System.currentTimeMillis() + 30_000;
            while (orphan.get().isAlive() && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(200);
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** The contract's role and databases; idempotent. The role is a superuser: Debezium manages its own slot. */
    static void ensureRoleAndDatabases(final EmbeddedPostgres postgres, final StackSettings stack) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            if (!exists(statement, "select 1 from pg_roles where rolname = '" + stack.pgUser() + "'")) {
                statement.execute("create role \"" + stack.pgUser() + "\" with login superuser replication password '"
                        + stack.pgPassword().replace("'", "''") + "'");
                LOG.info("created role {}", stack.pgUser());
            }
            for (final String database : new String[] {stack.legacyDatabase(), stack.catalogDatabase()}) {
                if (!exists(statement, "select 1 from pg_database where datname = '" + database + "'")) {
                    statement.execute("create database \"" + database + "\" owner \"" + stack.pgUser() + "\"");
                    LOG.info("created database {}", database);
                }
            }
        }
    }

    private static boolean exists(final Statement statement, final String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next();
        }
    }

    public static void main(final String[] args) throws Exception {
        final StackSettings stack = StackSettings.from(Settings.load("local-stack"));
        final EmbeddedPostgres postgres = start(stack);
        ensureRoleAndDatabases(postgres, stack);
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
                LOG.info("PostgreSQL stopped");
            } catch (final IOException e) {
                LOG.error("PostgreSQL did not stop cleanly: {}", e.toString());
            }
            stopped.countDown();
        }, "postgres-shutdown"));
        LOG.info("PostgreSQL ready on {}:{} (databases {}, {})", stack.pgHost(), stack.pgPort(),
                stack.legacyDatabase(), stack.catalogDatabase());
        stopped.await();
    }
}
