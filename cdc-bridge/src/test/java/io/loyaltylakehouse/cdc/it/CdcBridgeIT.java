package io.loyaltylakehouse.cdc.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.cdc.testing.BridgeProcess;
import io.loyaltylakehouse.cdc.testing.TopicTail;
import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.stack.LegacyCdcAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The bridge against the real PostgreSQL (wal_level=logical) and the real Kafka broker named by the environment
 * (PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, KAFKA_BOOTSTRAP). It works in its own database, slot, publication and
 * topics, and removes them afterwards. The bridge logs in as its own role (pg.cdc.user), with the grants the
 * legacy owner gives it as {@code make up} does. The steps build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CdcBridgeIT {
    static final Settings ENV = Settings.load("cdc-bridge");
    static final String RUN = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String DATABASE = "cdc_it_" + RUN;
    static final String SLOT = "cdc_it_" + RUN;
    static final String LEDGER = "cdc_it_ledger_" + RUN;
    static final String MEMBERS = "cdc_it_members_" + RUN;
    static final String DLQ = "cdc_it_dlq_" + RUN;
    static final Duration PATIENCE = Duration.ofSeconds(120);

    static Path workDir;
    static Map<String, String> bridgeSettings;
    static BridgeProcess bridge;
    static TopicTail tail;

    @BeforeAll
    static void createDatabaseTopicsAndStartTheBridge() throws Exception {
        workDir = Files.createTempDirectory("cdc-bridge-it-");
        // the stack's roles may not create databases: the superuser makes this run's, owned by the bridge's role
        try (Connection admin = superuser();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + ENV.require("pg.user"));
        }
        try (Connection legacy = connect(DATABASE);
                Statement statement = legacy.createStatement()) {
            statement.execute(resource("/legacy/schema.sql"));
            LegacyCdcAccess.grant(legacy, ENV.require("pg.cdc.user"), SLOT, ENV.require("cdc.heartbeat.table"));
            // existing rows the snapshot must pick up: member 2 has no new_user_id yet
            statement.execute("INSERT INTO legacy.members VALUES "
                    + "(1, 'a@example.com', 'A', 'GOLD', 'u-it-1', now()), "
                    + "(2, 'b@example.com', 'B', 'SILVER', NULL, now()), "
                    + "(3, 'c@example.com', 'C', 'BRONZE', NULL, now())");
            statement.execute("INSERT INTO legacy.points_transactions VALUES "
                    + "(1, 1, 100, 100.50, 'EARN', NULL, now(), now()), "
                    + "(2, 2, -40, NULL, 'REDEEM', NULL, now(), now()), "
                    + "(3, 2, 25, 25.00, 'EARN', 't-it-3', now(), now()), "
                    + "(4, 3, 5, NULL, 'ADJUST', NULL, now(), now())");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(List.of(
                            new NewTopic(LEDGER, 4, (short) 1),
                            new NewTopic(MEMBERS, 2, (short) 1),
                            new NewTopic(DLQ, 1, (short) 1)))
                    .all()
                    .get();
        }
        final Map<String, String> settings = new HashMap<>(Map.ofEntries(
                Map.entry("kafka.bootstrap", bootstrap()),
                Map.entry("pg.host", ENV.require("pg.host")),
                Map.entry("pg.port", ENV.require("pg.port")),
                Map.entry("pg.legacy.database", DATABASE),
                Map.entry("data.dir", workDir.resolve("data").toString()),
                Map.entry("cdc.slot.name", SLOT),
                Map.entry("cdc.publication.name", SLOT),
                Map.entry("cdc.topic.ledger-changes", LEDGER),
                Map.entry("cdc.topic.members", MEMBERS),
                Map.entry("cdc.topic.dead-letters", DLQ),
                Map.entry("cdc.http.port", "0"),
                Map.entry("cdc.lag.poll-interval", "1s"),
                Map.entry("cdc.restart.backoff", "1s"),
                Map.entry("debezium.heartbeat.interval.ms", "1000"),
                Map.entry("debezium.retriable.restart.connector.wait.ms", "1000")));
        bridgeSettings = Map.copyOf(settings);
        bridge = new BridgeProcess(Path.of(""), settings, workDir);
        bridge.start();
        tail = new TopicTail(bootstrap(), List.of(LEDGER, MEMBERS, DLQ));
    }

    @AfterAll
    static void removeEverythingTheTestCreated() throws Exception {
        if (bridge != null) {
            bridge.stop();
        }
        if (tail != null) {
            tail.close();
        }
        try (Connection admin = superuser();
                Statement statement = admin.createStatement()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> slotActivePid(admin) == null);
            statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + SLOT + "'");
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.deleteTopics(List.of(LEDGER, MEMBERS, DLQ)).all().get();
        }
        try (var files = Files.walk(workDir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Test
    @Order(1)
    void snapshotPublishesTheExistingRows() {
        await().atMost(PATIENCE).untilAsserted(() -> {
            tail.poll();
            assertThat(ledgerChanges())
                    .extracting(ConsumerRecord::key)
                    .contains("legacy-1", "legacy-2", "t-it-3", "legacy-4");
            assertThat(tail.of(MEMBERS)).extracting(ConsumerRecord::key).contains("1", "2", "3");
        });
        final Map<String, LegacyLedgerChange> byKey = latestByKey();
        assertThat(byKey.get("legacy-1").op()).isEqualTo(ChangeOp.r);
        assertThat(byKey.get("legacy-1").userId()).isEqualTo("u-it-1");
        assertThat(byKey.get("legacy-2").userId()).isEqualTo("legacy-2");
        assertThat(byKey.get("legacy-2").points()).isEqualTo(-40);
        assertThat(byKey.get("t-it-3").legacyTxnId()).isEqualTo(3);
        assertThat(bridge.httpPort()).as("HTTP port in the log").isPositive();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(bridge.metrics())
                        .contains("cdc_bridge_snapshot_complete 1")
                        .contains("cdc_bridge_snapshot_rows_total{table=\"legacy.points_transactions\"} 4"));
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        assertThat(bridge.health()).startsWith("200 {\"status\":\"UP\",\"snapshot\":\"complete\""));
    }

    @Test
    @Order(2)
    void liveInsertUpdateDeleteArriveInOrder() throws SQLException {
        sql(
                "INSERT INTO legacy.points_transactions VALUES (100, 1, 10, 10.00, 'EARN', NULL, now(), now())",
                "UPDATE legacy.points_transactions SET points = 12, updated_at = now() WHERE txn_id = 100",
                "UPDATE legacy.points_transactions SET points = 14, updated_at = now() WHERE txn_id = 100",
                "DELETE FROM legacy.points_transactions WHERE txn_id = 100",
                "UPDATE legacy.points_transactions SET source_txn_ref = 't-it-1' WHERE txn_id = 1");

        await().atMost(PATIENCE).untilAsserted(() -> {
            tail.poll();
            assertThat(changesOf("legacy-100"))
                    .extracting(LegacyLedgerChange::op)
                    .containsExactly(ChangeOp.c, ChangeOp.u, ChangeOp.u, ChangeOp.d);
            assertThat(changesOf("t-it-1")).isNotEmpty();
        });
        final List<LegacyLedgerChange> changes = changesOf("legacy-100");
        assertThat(changes).extracting(LegacyLedgerChange::points).containsExactly(10L, 12L, 14L, 14L);
        assertThat(changes).extracting(LegacyLedgerChange::lsn).isSorted();
        // a new source_txn_ref moves the transaction to a new business key: delete old, create new
        assertThat(changesOf("legacy-1")).extracting(LegacyLedgerChange::op).containsExactly(ChangeOp.r, ChangeOp.d);
        assertThat(changesOf("t-it-1")).extracting(LegacyLedgerChange::op).containsExactly(ChangeOp.c);
    }

    @Test
    @Order(3)
    void badRowsGoToTheDeadLetterTopicAndTheBridgeKeepsGoing() throws Exception {
        sql(
                "INSERT INTO legacy.points_transactions VALUES (200, 1, 10, NULL, 'BONUS', NULL, now(), now())",
                "INSERT INTO legacy.points_transactions VALUES (201, NULL, 10, NULL, 'EARN', NULL, now(), now())",
                "INSERT INTO legacy.points_transactions VALUES (202, 1, 2000000000, NULL, 'EARN', NULL, now(), now())",
                "INSERT INTO legacy.points_transactions VALUES (203, 1, NULL, NULL, 'EARN', NULL, now(), now())",
                "INSERT INTO legacy.points_transactions VALUES (204, 1, 7, NULL, 'EARN', NULL, now(), now())");

        await().atMost(PATIENCE).untilAsserted(() -> {
            tail.poll();
            assertThat(changesOf("legacy-204")).hasSize(1);
            assertThat(tail.of(DLQ)).hasSize(4);
        });
        final Map<String, String> reasons = tail.of(DLQ).stream()
                .collect(Collectors.toMap(
                        ConsumerRecord::key,
                        record ->
                                Json.fromJson(record.value(), DeadLetter.class).error()));
        assertThat(reasons)
                .containsEntry("legacy.points_transactions:200", "txn_type 'BONUS' is not EARN, REDEEM or ADJUST")
                .containsEntry("legacy.points_transactions:201", "member_id is NULL")
                .containsEntry(
                        "legacy.points_transactions:202",
                        "points 2000000000 outside +-100000000 (would overflow balance sums)")
                .containsEntry("legacy.points_transactions:203", "points is NULL");
        assertThat(ledgerChanges())
                .extracting(ConsumerRecord::key)
                .doesNotContain("legacy-200", "legacy-201", "legacy-202", "legacy-203");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(bridge.metrics())
                        .contains("cdc_bridge_dead_letters_total{table=\"legacy.points_transactions\"} 4"));
    }

    @Test
    @Order(4)
    void aMembersNewUserIdReissuesItsLedgerUnderTheSameKeys() throws Exception {
        sql("UPDATE legacy.members SET new_user_id = 'u-it-2', updated_at = now() WHERE member_id = 2");

        await().atMost(PATIENCE).untilAsserted(() -> {
            tail.poll();
            assertThat(latestMember(2).userId()).isEqualTo("u-it-2");
            assertThat(latestByKey().get("legacy-2").userId()).isEqualTo("u-it-2");
            assertThat(latestByKey().get("t-it-3").userId()).isEqualTo("u-it-2");
        });
        assertThat(latestByKey().get("legacy-2").op()).isEqualTo(ChangeOp.u);
        // the earlier records keep what they said; only the re-issued ones carry the new user_id
        assertThat(changesOf("legacy-2").get(0).userId()).isEqualTo("legacy-2");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(bridge.metrics())
                        .contains("cdc_bridge_member_user_id_changed_total 1")
                        .contains("cdc_bridge_ledger_changes_reissued_total 2"));
    }

    @Test
    @Order(5)
    void aKilledBridgeResumesAndTheConsumerViewEqualsTheDatabase() throws Exception {
        try (LegacyWriter writer = newWriter(10_000, 1)) {
            writer.start();
            final int publishedBefore = ledgerChanges().size();
            await().atMost(PATIENCE)
                    .until(() -> writer.ops() >= 200 && tail.poll().of(LEDGER).size() >= publishedBefore + 100);

            bridge.kill();
            final int opsAtKill = writer.ops();
            await().atMost(PATIENCE).until(() -> writer.ops() >= opsAtKill + 300);

            bridge.start();
            final int opsAtRestart = writer.ops();
            final int publishedAtRestart = tail.poll().of(LEDGER).size();
            // the restarted bridge streams while the writer is still writing
            await().atMost(PATIENCE)
                    .until(() -> writer.ops() >= opsAtRestart + 300
                            && tail.poll().of(LEDGER).size() >= publishedAtRestart + 100);
            writer.stop();
        }
        assertConsumerViewEqualsDatabase();
        assertThat(bridge.log()).doesNotContain("No previous offset found"); // resumed, not re-snapshotted
    }

    @Test
    @Order(6)
    void aLostReplicationConnectionIsSurvived() throws Exception {
        // The shared PostgreSQL cannot be restarted by one test; terminating the slot's walsender backend breaks
        // the replication connection the same way a server restart does, and the bridge must reconnect.
        try (LegacyWriter writer = newWriter(50_000, 2);
                Connection admin = superuser()) {
            writer.start();
            await().atMost(PATIENCE).until(() -> writer.ops() >= 200 && slotActivePid(admin) != null);
            final Integer walsender = slotActivePid(admin);
            try (Statement statement = admin.createStatement();
                    ResultSet rs = statement.executeQuery("SELECT pg_terminate_backend(" + walsender + ")")) {
                assertThat(rs.next() && rs.getBoolean(1))
                        .as("walsender %s terminated", walsender)
                        .isTrue();
            }
            final int opsAtBreak = writer.ops();
            await().atMost(PATIENCE).until(() -> writer.ops() >= opsAtBreak + 300);
            await().atMost(PATIENCE).until(() -> {
                final Integer pid = slotActivePid(admin);
                return pid != null && !pid.equals(walsender);
            });
            writer.stop();
        }
        assertConsumerViewEqualsDatabase();
        assertThat(bridge.isAlive()).isTrue();
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(bridge.metrics())
                        .containsPattern("cdc_bridge_replication_slot_wal_retained_bytes \\d+"));
    }

    @Test
    @Order(7)
    void anUnreachableBrokerIsWaitedForNotFatal() throws Exception {
        // Nothing listens on this port: the bridge must stay up, report DOWN with the reason and keep retrying.
        final int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        final Map<String, String> settings = new HashMap<>(bridgeSettings);
        settings.put("kafka.bootstrap", "127.0.0.1:" + closedPort);
        settings.put("data.dir", workDir.resolve("unreachable").toString());
        final BridgeProcess orphan = new BridgeProcess(Path.of(""), settings, workDir.resolve("unreachable"));
        Files.createDirectories(workDir.resolve("unreachable"));
        try {
            orphan.start();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(orphan.isAlive()).isTrue();
                assertThat(orphan.httpPort()).as("HTTP port in the log").isPositive();
                assertThat(orphan.health()).startsWith("503 ").contains("\"last_error\":\"");
                assertThat(orphan.metrics()).containsPattern("cdc_bridge_engine_restarts_total [1-9]");
            });
            assertThat(orphan.log()).contains("starting again from the stored offsets");
        } finally {
            orphan.stop();
        }
    }

    /** Issue 9.5: the deletes were dead-lettered as "unknown member" when the bridge no longer knew the member. */
    @Test
    @Order(8)
    void aMemberDeletedWithItsTransactionsInOneTransactionDeletesThemDownstream() throws Exception {
        sql(
                "INSERT INTO legacy.members VALUES (40, 'm40@example.com', 'M40', 'GOLD', 'u-it-40', now())",
                "INSERT INTO legacy.points_transactions VALUES (400, 40, 30, NULL, 'EARN', NULL, now(), now()), "
                        + "(401, 40, 12, 12.00, 'EARN', 't-it-401', now(), now())");
        await().atMost(PATIENCE).untilAsserted(() -> {
            tail.poll();
            assertThat(latestByKey()).containsKeys("legacy-400", "t-it-401");
        });
        bridge.stop(); // a fresh bridge has not seen member 40: it would look it up in the database
        bridge.start();
        final int lettersBefore = tail.poll().of(DLQ).size();
        try (Connection legacy = connect(DATABASE);
                Statement statement = legacy.createStatement()) {
            legacy.setAutoCommit(false);
            statement.execute("DELETE FROM legacy.points_transactions WHERE member_id = 40");
            statement.execute("DELETE FROM legacy.members WHERE member_id = 40");
            legacy.commit();
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            tail.poll();
            assertThat(latestByKey().get("legacy-400").op()).isEqualTo(ChangeOp.d);
            assertThat(latestByKey().get("t-it-401").op()).isEqualTo(ChangeOp.d);
            assertThat(latestMember(40).op()).isEqualTo(ChangeOp.d);
        });
        assertThat(latestByKey().get("legacy-400").userId())
                .as("the member is gone: no user to name")
                .isNull();
        assertThat(tail.of(DLQ)).hasSize(lettersBefore);
    }

    /** Issue 9.5: a TRUNCATE used to be dropped without a word. */
    @Test
    @Order(9)
    void aTruncateIsADeadLetterAndAnErrorNeverSilence() throws Exception {
        final int lettersBefore = tail.poll().of(DLQ).size();
        sql("TRUNCATE legacy.points_transactions");

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(tail.poll().of(DLQ)).hasSize(lettersBefore + 1));
        final ConsumerRecord<String, String> letter = tail.of(DLQ).get(lettersBefore);
        assertThat(letter.key()).isEqualTo("legacy.points_transactions:truncate");
        assertThat(Json.fromJson(letter.value(), DeadLetter.class).error())
                .startsWith("TRUNCATE of legacy.points_transactions: no rows were published for it");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(bridge.metrics())
                        .contains("cdc_bridge_legacy_truncates_total{table=\"legacy.points_transactions\"} 1"));
        assertThat(bridge.log()).contains("TRUNCATE of legacy.points_transactions: dead-lettered");
    }

    /** Issue 10: a hostile legacy row (a 2 MB full_name) is a bounded dead letter; the next row is published. */
    @Test
    @Order(10)
    void aRowWithATwoMegabyteColumnIsABoundedDeadLetterAndTheNextRowIsPublished() throws Exception {
        final int lettersBefore = tail.poll().of(DLQ).size();
        sql(
                "INSERT INTO legacy.members VALUES (50, 'm50@example.com', repeat('x', 2000000), 'GOLD', NULL, now())",
                "INSERT INTO legacy.members VALUES (51, 'm51@example.com', 'M51', 'GOLD', NULL, now())");

        await().atMost(PATIENCE).untilAsserted(() -> {
            tail.poll();
            assertThat(latestMember(51).fullName()).isEqualTo("M51");
            assertThat(tail.of(DLQ)).hasSize(lettersBefore + 1);
        });
        final ConsumerRecord<String, String> record = tail.of(DLQ).get(lettersBefore);
        final DeadLetter letter = Json.fromJson(record.value(), DeadLetter.class);
        assertThat(letter.error())
                .startsWith("unparseable change event: String value length (")
                .contains("exceeds the maximum allowed");
        assertThat(letter.rawTruncated()).isTrue();
        assertThat(letter.rawLength()).isGreaterThan(2_000_000);
        assertThat(record.value().length()).isLessThan(DeadLetter.MAX_RAW_BYTES + 4096);
        assertThat(tail.of(MEMBERS)).noneMatch(member -> member.key().equals("50"));
        assertThat(bridge.isAlive()).isTrue();
    }

    private static void assertConsumerViewEqualsDatabase() {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            tail.poll();
            assertThat(consumerView()).isEqualTo(databaseView());
        });
    }

    /** What a consumer keeping the latest change per business key holds, deletes removing the key. */
    private static Map<String, String> consumerView() {
        return latestByKey().entrySet().stream()
                .filter(entry -> entry.getValue().op() != ChangeOp.d)
                .collect(Collectors.toMap(
                        Map.Entry::getKey,
                        entry -> describe(
                                entry.getValue().legacyTxnId(),
                                entry.getValue().userId(),
                                entry.getValue().points(),
                                entry.getValue().txnType())));
    }

    /** The valid legacy transactions as they are now, by business key. */
    private static Map<String, String> databaseView() throws SQLException {
        final Map<String, String> view = new HashMap<>();
        try (Connection legacy = connect(DATABASE);
                Statement statement = legacy.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT t.txn_id, t.source_txn_ref, t.points, t.txn_type, "
                                + "coalesce(m.new_user_id, 'legacy-' || m.member_id) FROM legacy.points_transactions t "
                                + "JOIN legacy.members m ON m.member_id = t.member_id WHERE t.points BETWEEN -100000000 "
                                + "AND 100000000 AND t.txn_type IN ('EARN', 'REDEEM', 'ADJUST') AND t.created_at IS NOT NULL")) {
            while (rs.next()) {
                view.put(
                        LegacyLedgerChange.businessKeyOf(rs.getLong(1), rs.getString(2)),
                        describe(rs.getLong(1), rs.getString(5), rs.getLong(3), rs.getString(4)));
            }
        }
        return view;
    }

    private static String describe(final long txnId, final String userId, final long points, final String txnType) {
        return "txn " + txnId + " user " + userId + " points " + points + " " + txnType;
    }

    private static List<ConsumerRecord<String, String>> ledgerChanges() {
        return tail.of(LEDGER);
    }

    private static List<LegacyLedgerChange> changesOf(final String businessKey) {
        return ledgerChanges().stream()
                .filter(record -> record.key().equals(businessKey))
                .map(record -> Json.fromJson(record.value(), LegacyLedgerChange.class))
                .collect(Collectors.toList());
    }

    private static Map<String, LegacyLedgerChange> latestByKey() {
        final Map<String, LegacyLedgerChange> latest = new HashMap<>();
        ledgerChanges()
                .forEach(record -> latest.put(record.key(), Json.fromJson(record.value(), LegacyLedgerChange.class)));
        return latest;
    }

    private static LegacyMember latestMember(final long memberId) {
        final List<ConsumerRecord<String, String>> records = tail.of(MEMBERS).stream()
                .filter(record -> record.key().equals(Long.toString(memberId)))
                .collect(Collectors.toList());
        return Json.fromJson(records.get(records.size() - 1).value(), LegacyMember.class);
    }

    private static LegacyWriter newWriter(final long firstTxnId, final long seed) {
        return new LegacyWriter(
                jdbcUrl(DATABASE),
                ENV.require("pg.user"),
                ENV.get("pg.password", ""),
                new long[] {1, 2, 3},
                firstTxnId,
                20_000,
                seed);
    }

    private static Integer slotActivePid(final Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery(
                        "SELECT active_pid FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")) {
            return rs.next() ? (Integer) rs.getObject(1) : null;
        }
    }

    private static void sql(final String... statements) throws SQLException {
        try (Connection legacy = connect(DATABASE);
                Statement statement = legacy.createStatement()) {
            for (final String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The server's superuser: creates and drops this run's database and slot, ends the bridge's walsender. */
    private static Connection superuser() throws SQLException {
        return DriverManager.getConnection(
                jdbcUrl("postgres"), "postgres", Credentials.load(ENV).secret(Credentials.pgPasswordName("postgres")));
    }

    private static Connection connect(final String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), ENV.require("pg.user"), ENV.get("pg.password", ""));
    }

    private static String jdbcUrl(final String database) {
        return "jdbc:postgresql://" + ENV.require("pg.host") + ":" + ENV.require("pg.port") + "/" + database;
    }

    private static String bootstrap() {
        return ENV.require("kafka.bootstrap");
    }

    private static String resource(final String name) throws IOException {
        try (InputStream in = CdcBridgeIT.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
