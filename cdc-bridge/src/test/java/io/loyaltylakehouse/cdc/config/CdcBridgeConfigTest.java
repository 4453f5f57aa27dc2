package io.loyaltylakehouse.cdc.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Credentials;
import io.loyaltylakehouse.common.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class CdcBridgeConfigTest {
    /** The documented defaults only, untouched by the environment this test runs in. */
    final Settings defaults = Settings.of("cdc-bridge", fileDefaults());

    @Test
    void debeziumGetsConnectionSlotTablesAndDurableOffsetsFromTheBridgeSettings() {
        final Properties debezium =
                configOf(defaults.with(Map.of("data.dir", "/var/loyalty"))).debeziumProperties();

        assertThat(debezium)
                .containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("snapshot.mode", "initial")
                .containsEntry("database.hostname", "127.0.0.1")
                .containsEntry("database.port", "5433")
                .containsEntry("database.dbname", "legacy")
                .containsEntry("slot.name", "loyalty_cdc")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsEntry("table.include.list", "legacy.members,legacy.points_transactions,legacy.cdc_heartbeat")
                .containsEntry("offset.storage", "io.loyaltylakehouse.cdc.offsets.DurableFileOffsetStore")
                .containsEntry(
                        "offset.storage.file.filename",
                        Path.of("/var/loyalty/cdc-bridge/offsets.dat").toString())
                .containsEntry("heartbeat.interval.ms", "10000");
        assertThat(debezium.getProperty("heartbeat.action.query")).startsWith("INSERT INTO legacy.cdc_heartbeat");
    }

    @Test
    void debeziumKeysPassThroughAndWin() {
        final Properties debezium = configOf(
                        defaults.with(Map.of("debezium.snapshot.mode", "no_data", "debezium.slot.name", "other")))
                .debeziumProperties();

        assertThat(debezium).containsEntry("snapshot.mode", "no_data").containsEntry("slot.name", "other");
    }

    @Test
    void withoutAHeartbeatTableOnlyTheLegacyTablesAreCaptured() {
        final Properties debezium =
                configOf(defaults.with(Map.of("cdc.heartbeat.table", ""))).debeziumProperties();

        assertThat(debezium)
                .containsEntry("table.include.list", "legacy.members,legacy.points_transactions")
                .doesNotContainKey("heartbeat.action.query");
    }

    @Test
    void outputTopicsDefaultToTheContractNames() {
        final CdcBridgeConfig config = configOf(defaults);

        assertThat(config.ledgerChangesTopic()).isEqualTo("legacy_ledger_changes");
        assertThat(config.membersTopic()).isEqualTo("legacy_members");
        assertThat(config.deadLetterTopic()).isEqualTo("legacy.dlq");
        assertThat(config.httpPort()).isEqualTo(8091);
    }

    @Test
    void producerAlwaysWaitsForAllReplicasAndIsIdempotent() {
        final Properties producer = configOf(
                        defaults.with(Map.of("cdc.producer.acks", "1", "cdc.producer.enable.idempotence", "false")))
                .producerProperties();

        assertThat(producer)
                .containsEntry("acks", "all")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("linger.ms", "5")
                .containsEntry("bootstrap.servers", "127.0.0.1:9092");
    }

    @Test
    void theBridgeLogsInAsItsOwnRoleWithThePasswordFromTheCredentials() {
        final Properties debezium = configOf(defaults).debeziumProperties();

        assertThat(debezium)
                .containsEntry("database.user", "loyalty_cdc")
                .containsEntry("database.password", "cdc-secret")
                .containsEntry("publication.name", "loyalty_cdc");
        assertThatThrownBy(() -> CdcBridgeConfig.from(defaults, Credentials.load(Path.of("/nonexistent"), Map.of())))
                .hasMessageContaining("PG_PASSWORD_LOYALTY_CDC");
    }

    @Test
    void kafkaClientSecurityReachesTheProducerTheAdminAndAKafkaOffsetStore() {
        final Map<String, String> secured = Map.of(
                "kafka.client.security.protocol", "SASL_SSL",
                "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                "debezium.offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        final CdcBridgeConfig config = configOf(defaults.with(secured));

        assertThat(config.producerProperties())
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
        assertThat(config.kafkaClient())
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.debeziumProperties())
                .containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(configOf(defaults).debeziumProperties()).doesNotContainKey("bootstrap.servers");
    }

    private static CdcBridgeConfig configOf(final Settings settings) {
        return CdcBridgeConfig.from(
                settings, Credentials.load(Path.of("/nonexistent"), Map.of("PG_PASSWORD_LOYALTY_CDC", "cdc-secret")));
    }

    private static Map<String, String> fileDefaults() {
        final Map<String, String> values = new HashMap<>();
        for (final String file : List.of("loyalty-defaults.properties", "cdc-bridge.properties")) {
            try (InputStream in = CdcBridgeConfigTest.class.getClassLoader().getResourceAsStream(file)) {
                final Properties properties = new Properties();
                properties.load(in);
                properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
            } catch (final IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return values;
    }

    @Test
    void inMemoryOffsetsAreRefusedOutsideTests() {
        final Map<String, String> memory =
                Map.of("debezium.offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");

        assertThatThrownBy(() -> configOf(defaults.with(memory)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("keeps offsets in memory");
        assertThat(configOf(defaults.with(Map.of(
                                "debezium.offset.storage",
                                "org.apache.kafka.connect.storage.MemoryOffsetBackingStore",
                                "cdc.offsets.allow-in-memory",
                                "true")))
                        .debeziumProperties())
                .containsEntry("offset.storage", "org.apache.kafka.connect.storage.MemoryOffsetBackingStore");
    }
}
