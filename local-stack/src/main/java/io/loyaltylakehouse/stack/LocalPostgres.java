package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.Credentials;
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
 * Locked down like a server: every connection logs in with a password ({@code scram-sha-256}, no {@code trust}),
 * the services' roles are not superusers, the binaries are unpacked where only the owner can write.
 */
public final class LocalPostgres {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    private LocalPostgres() {}

    /** The server's own superuser: only this wrapper logs in as it, with the generated password. */
    static final String SUPERUSER = "postgres";

    static EmbeddedPostgres start(final StackSettings stack, final Credentials credentials) throws IOException {
        final Path dataDir = stack.dataDir().resolve("postgres");
        final Path binaries = stack.dataDir().resolve("postgres-binaries");
        LocalSecrets.ownerOnlyDirectory(binaries);
        stopOrphan(dataDir);
        final EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(stack.pgPort())
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                // A fresh cluster starts on trust until ensureRoles switches it to scram; after that the readiness
                // probe needs the password.
                .setConnectConfig("password", credentials.secret(LocalSecrets.pgPasswordName(SUPERUSER)))
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
        // The embedded library makes its working directory writable by everyone; only the owner may change binaries.
        LocalSecrets.ownerOnlyDirectory(binaries);
        return postgres;
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

    /**
     * The roles and databases, idempotent: {@code loyalty} (the legacy application's role of CONTRACT 2) owns the
     * legacy database and may create databases; {@code pg.cdc.user} (the cdc-bridge) may only replicate and read what
     * the legacy owner grants it ({@link LegacyCdcAccess}); {@code pg.catalog.user} owns only the Iceberg catalog
     * database. No service role is a superuser. Then every connection must log in with a password.
     */
    static void ensureRoles(final EmbeddedPostgres postgres, final StackSettings stack, final Credentials credentials)
            throws SQLException, IOException {
        final String catalogUser = stack.settings().require("pg.catalog.user");
        final String cdcUser = stack.settings().require("pg.cdc.user");
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("alter role " + SUPERUSER + " password "
                    + literal(credentials.secret(LocalSecrets.pgPasswordName(SUPERUSER))));
            // The legacy role may create databases: the integration tests and benchmarks make their own legacy DBs.
            ensureRole(statement, stack.pgUser(), stack.pgPassword(), "noreplication createdb");
            ensureRole(
                    statement,
                    cdcUser,
                    credentials.secret(LocalSecrets.pgPasswordName(cdcUser)),
                    "replication nocreatedb");
            ensureRole(
                    statement,
                    catalogUser,
                    credentials.secret(LocalSecrets.pgPasswordName(catalogUser)),
                    "noreplication nocreatedb");
            ensureDatabase(statement, stack.legacyDatabase(), stack.pgUser());
            ensureDatabase(statement, stack.catalogDatabase(), catalogUser);
        }
        // Stacks made before the catalog role existed: the catalog's tables move to their new owner. The legacy
        // role (CONTRACT 2 names it for both databases) may still read the catalog, never change it.
        try (Connection connection =
                        postgres.getDatabase(SUPERUSER, stack.catalogDatabase()).getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("grant all on schema public to " + quoted(catalogUser));
            statement.execute(
                    "grant connect on database " + quoted(stack.catalogDatabase()) + " to " + quoted(stack.pgUser()));
            statement.execute("alter default privileges for role " + quoted(catalogUser)
                    + " in schema public grant select on tables to " + quoted(stack.pgUser()));
            statement.execute("do $$ declare t record; begin for t in select tablename from pg_tables "
                    + "where schemaname = 'public' and tableowner <> " + literal(catalogUser) + " loop "
                    + "execute format('alter table public.%I owner to %I', t.tablename, " + literal(catalogUser)
                    + "); end loop; end $$");
            statement.execute("grant select on all tables in schema public to " + quoted(stack.pgUser()));
        }
        requirePasswords(postgres, stack);
    }

    private static void ensureRole(
            final Statement statement, final String role, final String password, final String attributes)
            throws SQLException {
        final String verb =
                exists(statement, "select 1 from pg_roles where rolname = " + literal(role)) ? "alter" : "create";
        statement.execute(verb + " role " + quoted(role) + " with login nosuperuser nocreaterole " + attributes
                + " password " + literal(password));
        if (verb.equals("create")) {
            LOG.info("created role {}", role);
        }
    }

    private static void ensureDatabase(final Statement statement, final String database, final String owner)
            throws SQLException {
        if (!exists(statement, "select 1 from pg_database where datname = " + literal(database))) {
            statement.execute("create database " + quoted(database) + " owner " + quoted(owner));
            LOG.info("created database {}", database);
        } else {
            statement.execute("alter database " + quoted(database) + " owner to " + quoted(owner));
        }
        statement.execute("revoke all on database " + quoted(database) + " from public");
        statement.execute("grant connect, temporary on database " + quoted(database) + " to " + quoted(owner));
    }

    /** pg_hba.conf: scram-sha-256 for every local, loopback and replication connection; nothing is trusted. */
    private static void requirePasswords(final EmbeddedPostgres postgres, final StackSettings stack)
            throws IOException, SQLException {
        final String hba = String.join(
                "\n",
                "# Written by the local stack: every connection logs in with a password (no trust).",
                "local   all          all                 scram-sha-256",
                "host    all          all  127.0.0.1/32   scram-sha-256",
                "host    all          all  ::1/128        scram-sha-256",
                "local   replication  all                 scram-sha-256",
                "host    replication  all  127.0.0.1/32   scram-sha-256",
                "host    replication  all  ::1/128        scram-sha-256",
                "");
        final Path file = stack.dataDir().resolve("postgres/pg_hba.conf");
        if (!Files.exists(file) || !Files.readString(file).equals(hba)) {
            LocalSecrets.writeOwnerOnly(file, hba);
            try (Connection connection = postgres.getPostgresDatabase().getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("select pg_reload_conf()");
            }
            LOG.info("PostgreSQL now requires a password (scram-sha-256) for every connection");
        }
    }

    static String literal(final String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String quoted(final String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static boolean exists(final Statement statement, final String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            return rows.next();
        }
    }

    public static void main(final String[] args) throws Exception {
        final StackSettings stack = StackSettings.from(Settings.load("local-stack"));
        final Credentials credentials = Credentials.load(stack.dataDir(), System.getenv());
        final EmbeddedPostgres postgres = start(stack, credentials);
        ensureRoles(postgres, stack, credentials);
        // Unpacking the server binaries left most of the heap as garbage, and from here this wrapper only waits:
        // one full collection hands it back to the system (SMALL_SERVICE's heap ratios), ~150 MB of the stack.
        System.gc();
        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                postgres.close();
                                LOG.info("PostgreSQL stopped");
                            } catch (final IOException e) {
                                LOG.error("PostgreSQL did not stop cleanly: {}", e.toString());
                            }
                            stopped.countDown();
                        },
                        "postgres-shutdown"));
        LOG.info(
                "PostgreSQL ready on {}:{} (databases {}, {})",
                stack.pgHost(),
                stack.pgPort(),
                stack.legacyDatabase(),
                stack.catalogDatabase());
        stopped.await();
    }
}
