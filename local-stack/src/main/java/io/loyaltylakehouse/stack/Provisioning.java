package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.iceberg.CatalogSettings;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import io.loyaltylakehouse.iceberg.TableProvisioner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code make up} creates once Kafka and PostgreSQL are up, each step idempotent: the contract's
 * topics, the legacy schema with demo data and the cdc-bridge's access to it, and the Iceberg namespaces and tables (which also creates
 * the JDBC catalog's own tables that Trino needs before its first query).
 */
public final class Provisioning {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioning.class);
    /** The legacy DDL and demo rows belong to the cdc-bridge, which streams that database. */
    private static final String LEGACY_SCHEMA = "cdc-bridge/src/main/resources/legacy/schema.sql";

    private static final String LEGACY_DEMO_DATA = "cdc-bridge/src/main/resources/legacy/demo-data.sql";

    private Provisioning() {}

    static void run(final StackSettings stack) throws Exception {
        createTopics(KafkaClients.config(stack.settings()));
        createLegacySchema(stack);
        try (var catalog = CatalogSettings.from(stack.settings()).open()) {
            new TableProvisioner(catalog)
                    .provision(List.of(LoyaltyTables.LOYALTY, LoyaltyTables.ANALYTICS), LoyaltyTables.ALL);
        }
    }

    /** The contract's topics that are missing, on the broker {@code kafkaClient} reaches (also for tests' brokers). */
    public static void createTopics(final Map<String, Object> kafkaClient) throws Exception {
        try (Admin admin = Admin.create(kafkaClient)) {
            final Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<NewTopic> missing = Topics.all().stream()
                    .filter(spec -> !existing.contains(spec.name()))
                    .map(spec -> new NewTopic(spec.name(), spec.partitions(), (short) 1)
                            .configs(
                                    spec.compacted()
                                            ? Map.of(
                                                    TopicConfig.CLEANUP_POLICY_CONFIG,
                                                    TopicConfig.CLEANUP_POLICY_COMPACT)
                                            : Map.of()))
                    .toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
                LOG.info(
                        "created topics {}",
                        missing.stream().map(NewTopic::name).toList());
            }
        }
    }

    static void createLegacySchema(final StackSettings stack) throws Exception {
        try (Connection connection = DriverManager.getConnection(
                        stack.jdbcUrl(stack.legacyDatabase()), stack.pgUser(), stack.pgPassword());
                Statement statement = connection.createStatement()) {
            final List<String> scripts = stack.settings().requireBoolean("stack.legacy.demo-data")
                    ? List.of(LEGACY_SCHEMA, LEGACY_DEMO_DATA)
                    : List.of(LEGACY_SCHEMA);
            for (final String script : scripts) {
                final Path file = stack.repoDir().resolve(script);
                if (!Files.exists(file)) {
                    LOG.warn("legacy script {} not found: legacy database left as it is", file);
                    continue;
                }
                statement.execute(Files.readString(file));
            }
            LegacyCdcAccess.grant(
                    connection,
                    stack.settings().require("pg.cdc.user"),
                    stack.settings().require("cdc.publication.name"),
                    stack.settings().get("cdc.heartbeat.table", ""));
        }
    }
}
