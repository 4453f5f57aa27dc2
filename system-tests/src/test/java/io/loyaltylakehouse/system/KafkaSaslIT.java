package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import io.loyaltylakehouse.load.kafka.TopicReader;
import io.loyaltylakehouse.stack.LegacyCdcAccess;
import io.loyaltylakehouse.stack.ModuleCommand;
import io.loyaltylakehouse.stack.Provisioning;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The pipeline through a Kafka broker that requires SASL_SCRAM (the local broker started as the launcher starts it
 * with {@code kafka.security=sasl_scram}), every component configured only through {@code kafka.client.*}: a
 * purchase becomes a ledger entry and a balance (edge-streams), a legacy row change reaches its topic (cdc-bridge),
 * and the reconciler reads both into its own Iceberg namespace. A wrong password and no login are refused.
 */
class KafkaSaslIT {
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String RUN =
            UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String USER = "u-sasl-" + RUN;
    private static final String PURCHASE = "t-sasl-" + RUN;
    private static final long LEGACY_TXN = 9_000_000 + Math.abs(RUN.hashCode() % 1_000_000);
    private static final String DATABASE = "sasl_it_" + RUN;
    private static final Namespace NAMESPACE = Namespace.of("sasl_it_" + RUN);
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String PASSWORD = UUID.randomUUID().toString();

    private static Path work;
    private static Map<String, String> kafkaEnvironment;
    private static Map<String, Object> kafka;
    private static final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void startTheBrokerAndTheComponents() throws Exception {
        work = Files.createTempDirectory("kafka-sasl-it-");
        final int port = freePort();
        final Map<String, String> login = Map.of(
                "kafka.bootstrap",
                "127.0.0.1:" + port,
                "kafka.client.security.protocol",
                "SASL_PLAINTEXT",
                "kafka.client.sasl.mechanism",
                "SCRAM-SHA-512",
                "kafka.client.sasl.jaas.config",
                jaas("loyalty", PASSWORD));
        kafka = KafkaClients.config(Lakehouse.SETTINGS.with(login));
        kafkaEnvironment = new HashMap<>();
        login.forEach((key, value) -> kafkaEnvironment.put(Settings.envName(key), value));
        start(
                "kafka",
                "local-stack",
                "io.loyaltylakehouse.stack.KafkaBroker",
                Map.of(
                        "KAFKA_SECURITY", "sasl_scram",
                        "KAFKA_CONTROLLER_PORT", Integer.toString(freePort()),
                        "DATA_DIR", work.resolve("kafka-data").toString()));
        await().atMost(PATIENCE).ignoreExceptions().until(() -> {
            Provisioning.createTopics(kafka);
            return true;
        });
        createLegacyDatabase();
        start(
                "edge-streams",
                "edge-streams",
                "io.loyaltylakehouse.edge.EdgeStreamsApp",
                Map.of(
                        "EDGE_APPLICATION_ID", "sasl-it-" + RUN,
                        "EDGE_STATE_DIR", work.resolve("edge-state").toString(),
                        "EDGE_HTTP_PORT", Integer.toString(freePort())));
        final int cdcPort = freePort();
        start(
                "cdc-bridge",
                "cdc-bridge",
                "io.loyaltylakehouse.cdc.CdcBridgeApp",
                Map.of(
                        "PG_LEGACY_DATABASE", DATABASE,
                        "CDC_SLOT_NAME", DATABASE,
                        "CDC_PUBLICATION_NAME", DATABASE,
                        "CDC_OFFSETS_FILE", work.resolve("cdc-offsets.dat").toString(),
                        "CDC_HTTP_PORT", Integer.toString(cdcPort)));
        start(
                "flink-reconciler",
                "flink-reconciler",
                "io.loyaltylakehouse.reconciler.ReconcilerJob",
                Map.ofEntries(
                        Map.entry("RECONCILER_JOB_NAME", "sasl-it-" + RUN),
                        Map.entry("RECONCILER_NAMESPACE", NAMESPACE.toString()),
                        Map.entry("RECONCILER_KAFKA_GROUP_ID", "sasl-it-" + RUN),
                        Map.entry("RECONCILER_KAFKA_STARTING_OFFSETS", "earliest"),
                        Map.entry("RECONCILER_PARALLELISM", "1"),
                        Map.entry("RECONCILER_CHECKPOINT_INTERVAL", "2s"),
                        Map.entry(
                                "RECONCILER_CHECKPOINT_DIR",
                                work.resolve("checkpoints").toString()),
                        Map.entry(
                                "RECONCILER_STATE_DIR", work.resolve("rocksdb").toString()),
                        Map.entry("FLINK_WEB_PORT", Integer.toString(freePort())),
                        Map.entry("FLINK_METRICS_PORT", Integer.toString(freePort()))));
        // the legacy change is streamed, not snapshotted: it is made once the bridge streams
        await().atMost(PATIENCE)
                .until(() -> health("http://127.0.0.1:" + cdcPort + "/health").contains("\"status\":\"UP\""));
    }

    @AfterAll
    static void stopEverythingAndRemoveWhatTheTestMade() throws Exception {
        for (final Process child : children) {
            child.destroy();
        }
        for (final Process child : children) {
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        try (Connection admin = superuser();
                Statement statement = admin.createStatement()) {
            statement.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + DATABASE + "'");
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
        try (JdbcCatalog catalog = Lakehouse.catalog().open()) {
            for (final TableIdentifier table : catalog.listTables(NAMESPACE)) {
                catalog.dropTable(table, true);
            }
            catalog.dropNamespace(NAMESPACE);
        } catch (final org.apache.iceberg.exceptions.NoSuchNamespaceException e) {
            // the reconciler never got as far as provisioning its tables
        }
        try (var files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    @Test
    void thePipelineRunsThroughTheSaslBrokerAndAWrongLoginIsRefused() throws Exception {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(kafka, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(
                            Topics.PURCHASE_EVENTS.name(),
                            USER,
                            Json.toJson(new PurchaseEvent(
                                    PURCHASE, USER, new BigDecimal("25.90"), "USD", "s-sasl", Instant.now()))))
                    .get(30, TimeUnit.SECONDS);
        }
        try (Connection legacy = owner(DATABASE);
                Statement statement = legacy.createStatement()) {
            statement.execute("INSERT INTO legacy.points_transactions VALUES (" + LEGACY_TXN
                    + ", 1, 40, 40.00, 'EARN', NULL, now(), now())");
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(keysOf(Topics.POINTS_LEDGER.name())).as("ledger entries").contains(USER);
            assertThat(keysOf(Topics.LOYALTY_POINTS_REALTIME.name()))
                    .as("balances")
                    .contains(USER);
            assertThat(keysOf(Topics.LEGACY_LEDGER_CHANGES.name()))
                    .as("legacy changes")
                    .contains("legacy-" + LEGACY_TXN);
        });
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(ledgerKeysInIceberg())
                        .as("what the reconciler wrote to " + NAMESPACE)
                        .contains(PURCHASE, "legacy-" + LEGACY_TXN));

        assertThatThrownBy(() -> listTopics(Map.of(
                        AdminClientConfig.SECURITY_PROTOCOL_CONFIG,
                        "SASL_PLAINTEXT",
                        "sasl.mechanism",
                        "SCRAM-SHA-512",
                        "sasl.jaas.config",
                        jaas("loyalty", "not-the-password"))))
                .hasCauseInstanceOf(SaslAuthenticationException.class);
        assertThatThrownBy(() -> listTopics(Map.of(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")))
                .as("a client without a login gets no answer")
                .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }

    private static void listTopics(final Map<String, Object> login) throws Exception {
        final Map<String, Object> config = new HashMap<>(login);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.get("bootstrap.servers"));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(config)) {
            admin.listTopics().names().get();
        }
    }

    private static Set<String> keysOf(final String topic) {
        final Set<String> keys = new java.util.HashSet<>();
        try (TopicReader reader = new TopicReader(kafka, true)) {
            reader.read(topic, 0, record -> {
                if (record.key() != null) {
                    keys.add(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8));
                }
            });
        }
        return keys;
    }

    private static Set<String> ledgerKeysInIceberg() throws IOException {
        try (JdbcCatalog catalog = Lakehouse.catalog().open();
                CloseableIterable<Record> rows = IcebergGenerics.read(
                                catalog.loadTable(TableIdentifier.of(NAMESPACE, LoyaltyTables.POINTS_LEDGER.name())))
                        .build()) {
            final Set<String> keys = new java.util.HashSet<>();
            rows.forEach(row -> keys.add((String) row.getField("business_key")));
            return keys;
        }
    }

    /** This run's legacy database, with the cdc-bridge's grants as {@code make up} gives them, and one member. */
    private static void createLegacyDatabase() throws Exception {
        try (Connection admin = superuser();
                Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + Lakehouse.SETTINGS.require("pg.user"));
        }
        try (Connection legacy = owner(DATABASE);
                Statement statement = legacy.createStatement()) {
            statement.execute(Files.readString(REPO.resolve("cdc-bridge/src/main/resources/legacy/schema.sql")));
            LegacyCdcAccess.grant(
                    legacy,
                    Lakehouse.SETTINGS.require("pg.cdc.user"),
                    DATABASE,
                    Lakehouse.SETTINGS.require("cdc.heartbeat.table"));
            statement.execute(
                    "INSERT INTO legacy.members VALUES (1, 'sasl@example.com', 'S', 'GOLD', '" + USER + "', now())");
        }
    }

    /** A component as the launcher runs it, with the broker's address and the clients' login in its environment. */
    private static void start(
            final String name, final String module, final String mainClass, final Map<String, String> environment)
            throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(ModuleCommand.of(
                                REPO,
                                "sasl-it-" + name,
                                module,
                                mainClass,
                                name.equals("flink-reconciler") ? "768m" : "384m")
                        .orElseThrow(() -> new IllegalStateException(module + " is not built: run `make build`")))
                .directory(REPO.toFile())
                .redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        builder.environment().putAll(kafkaEnvironment);
        builder.environment().putAll(environment);
        children.add(builder.start());
    }

    private static String health(final String url) {
        try {
            return HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (final IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private static String jaas(final String user, final String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static Connection owner(final String database) throws Exception {
        return Lakehouse.postgres(database);
    }

    private static Connection superuser() throws Exception {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + Lakehouse.SETTINGS.require("pg.host") + ":"
                        + Lakehouse.SETTINGS.require("pg.port") + "/postgres",
                "postgres",
                Credentials.load(Lakehouse.SETTINGS).secret(Credentials.pgPasswordName("postgres")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
