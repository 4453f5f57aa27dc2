package io.loyaltylakehouse.cdc.config;

import io.loyaltylakehouse.cdc.legacy.LegacyTables;
import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.model.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Properties;

/**
 * The cdc-bridge's settings, resolved once at startup from {@code cdc-bridge.properties} (see that file for each key).
 * Debezium gets the bridge's computed settings (connection, slot, publication, tables, offset file) and then every
 * {@code debezium.*} key on top, so an operator can override anything without a code change. In-memory offset
 * stores are refused unless {@code cdc.offsets.allow-in-memory=true}: a restart would silently re-snapshot.
 * The bridge logs in as its own role {@code pg.cdc.user} (REPLICATION, SELECT on the legacy tables, writes only its
 * heartbeat table), never as the tables' owner; its password is {@code PG_PASSWORD_<ROLE>} from {@link Credentials}.
 */
public final class CdcBridgeConfig {
    private final Settings settings;
    private final Credentials credentials;
    private final Properties debezium;

    private CdcBridgeConfig(final Settings settings, final Credentials credentials) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.credentials = Objects.requireNonNull(credentials, "credentials is null");
        this.debezium = buildDebeziumProperties();
        refuseInMemoryOffsets();
    }

    /** The settings, and the role's password from {@code <data.dir>/credentials.env} or the environment. */
    public static CdcBridgeConfig from(final Settings settings) {
        return from(settings, Credentials.load(settings));
    }

    public static CdcBridgeConfig from(final Settings settings, final Credentials credentials) {
        return new CdcBridgeConfig(settings, credentials);
    }

    /** {@code bootstrap.servers} and the shared client security ({@code kafka.client.*}) for every Kafka client. */
    public Properties kafkaClient() {
        final Properties client = new Properties();
        client.putAll(KafkaClients.config(settings));
        return client;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + settings.require("pg.host") + ":" + settings.requireInt("pg.port") + "/"
                + settings.require("pg.legacy.database");
    }

    public String pgUser() {
        return settings.require("pg.cdc.user");
    }

    public String pgPassword() {
        return credentials.secret(Credentials.pgPasswordName(pgUser()));
    }

    public String slotName() {
        return settings.require("cdc.slot.name");
    }

    public String ledgerChangesTopic() {
        return settings.get("cdc.topic.ledger-changes", Topics.LEGACY_LEDGER_CHANGES.name());
    }

    public String membersTopic() {
        return settings.get("cdc.topic.members", Topics.LEGACY_MEMBERS.name());
    }

    public String deadLetterTopic() {
        return settings.get("cdc.topic.dead-letters", Topics.LEGACY_DLQ.name());
    }

    public String httpHost() {
        return settings.require("cdc.http.host");
    }

    public int httpPort() {
        return settings.requireInt("cdc.http.port");
    }

    public long pointsMaxAbs() {
        return settings.requireLong("cdc.points.max-abs");
    }

    /** {@code schema.table} of the heartbeat table, or empty when heartbeats write nothing. */
    public String heartbeatTable() {
        return settings.get("cdc.heartbeat.table", "");
    }

    public int memberCacheSize() {
        return settings.requireInt("cdc.member-cache.size");
    }

    public Duration restartBackoff() {
        return settings.requireDuration("cdc.restart.backoff");
    }

    /** How long nothing may be delivered while the slot's lag grows before {@code /health} says DEGRADED. */
    public Duration stallAfter() {
        return settings.requireDuration("cdc.health.stall-after");
    }

    public Duration lagPollInterval() {
        return settings.requireDuration("cdc.lag.poll-interval");
    }

    /** Prefix of the records Debezium emits on each heartbeat (not table changes). */
    public String heartbeatTopicPrefix() {
        return debezium.getProperty("topic.heartbeat.prefix", "__debezium-heartbeat");
    }

    public Path offsetsFile() {
        final String configured = settings.get("cdc.offsets.file", "");
        return configured.isEmpty()
                ? Path.of(settings.require("data.dir"), "cdc-bridge", "offsets.dat")
                        .toAbsolutePath()
                : Path.of(configured).toAbsolutePath();
    }

    /** The producer: {@code cdc.producer.*} plus the settings durability depends on, which cannot be weakened. */
    public Properties producerProperties() {
        final Properties producer = kafkaClient();
        producer.putAll(settings.withPrefix("cdc.producer"));
        producer.setProperty("acks", "all");
        producer.setProperty("enable.idempotence", "true");
        producer.setProperty("max.in.flight.requests.per.connection", "5");
        producer.setProperty("client.id", "cdc-bridge-" + slotName());
        return producer;
    }

    /** A copy of what the Debezium engine is given. */
    public Properties debeziumProperties() {
        final Properties copy = new Properties();
        copy.putAll(debezium);
        return copy;
    }

    private Properties buildDebeziumProperties() {
        final Properties props = new Properties();
        props.setProperty("name", "cdc-bridge-" + slotName());
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("database.hostname", settings.require("pg.host"));
        props.setProperty("database.port", Integer.toString(settings.requireInt("pg.port")));
        props.setProperty("database.user", pgUser());
        props.setProperty("database.password", pgPassword());
        props.setProperty("database.dbname", settings.require("pg.legacy.database"));
        props.setProperty("topic.prefix", settings.require("cdc.server.name"));
        props.setProperty("slot.name", slotName());
        props.setProperty("publication.name", settings.require("cdc.publication.name"));
        props.setProperty("offset.storage.file.filename", offsetsFile().toString());
        final String heartbeatTable = heartbeatTable();
        if (heartbeatTable.isEmpty()) {
            props.setProperty("table.include.list", String.join(",", LegacyTables.CAPTURED));
        } else {
            // The heartbeat table is captured too: its changes are what moves the slot when legacy tables are idle.
            props.setProperty("table.include.list", String.join(",", LegacyTables.CAPTURED) + "," + heartbeatTable);
            props.setProperty(
                    "heartbeat.action.query",
                    "INSERT INTO " + heartbeatTable
                            + " (id, beat_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET beat_at = EXCLUDED.beat_at");
        }
        props.putAll(settings.withPrefix("debezium"));
        if (props.getProperty("offset.storage", "").endsWith("KafkaOffsetBackingStore")) {
            // Kafka Connect's offset store takes its clients' settings from the engine's top-level properties
            kafkaClient().forEach(props::putIfAbsent);
        }
        return props;
    }

    private void refuseInMemoryOffsets() {
        final String store = debezium.getProperty("offset.storage", "");
        if (store.contains("Memory") && !settings.requireBoolean("cdc.offsets.allow-in-memory")) {
            throw new IllegalStateException("cdc-bridge: offset store " + store + " keeps offsets in memory, so a "
                    + "restart would re-snapshot and re-send everything; use FileOffsetBackingStore or "
                    + "KafkaOffsetBackingStore (cdc.offsets.allow-in-memory=true is for tests only)");
        }
    }
}
