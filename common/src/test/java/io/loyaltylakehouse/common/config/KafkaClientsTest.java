package io.loyaltylakehouse.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaClientsTest {
    @Test
    void theLocalDefaultIsPlaintextWithOnlyTheBootstrapServers() {
        assertThat(KafkaClients.config(Settings.defaults("test")))
                .isEqualTo(Map.of("bootstrap.servers", "127.0.0.1:9092"));
    }

    @Test
    void securitySettingsFromTheEnvironmentReachEveryClient() {
        final Settings settings = Settings.load(
                "test",
                Map.of(
                        "KAFKA_BOOTSTRAP", "broker-1:9096",
                        "KAFKA_CLIENT_SECURITY_PROTOCOL", "SASL_SSL",
                        "KAFKA_CLIENT_SASL_MECHANISM", "SCRAM-SHA-512",
                        "KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION", "/etc/kafka/ca.pem"),
                new Properties());

        assertThat(KafkaClients.config(settings))
                .isEqualTo(Map.of(
                        "bootstrap.servers", "broker-1:9096",
                        "security.protocol", "SASL_SSL",
                        "sasl.mechanism", "SCRAM-SHA-512",
                        "ssl.truststore.location", "/etc/kafka/ca.pem"));
    }
}
