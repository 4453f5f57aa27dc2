package io.loyaltylakehouse.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The broker's two modes: PLAINTEXT on loopback by default, SASL_SCRAM admitting the clients' own login. */
class KafkaBrokerTest {
    private static final String JAAS =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"loyalty\" password=\"s3cret\";";

    @Test
    void theDefaultIsPlaintextWithoutALogin() {
        assertThat(KafkaBroker.ScramLogin.of(Settings.defaults("local-stack"))).isEmpty();
        assertThat(KafkaBroker.brokerConfig("127.0.0.1", 9092, 9093, Path.of("/tmp/kafka"), java.util.Optional.empty()))
                .containsEntry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .doesNotContainKey("sasl.enabled.mechanisms");
    }

    @Test
    void saslScramAdmitsTheClientsLoginAndUsesItBetweenBrokers() {
        final KafkaBroker.ScramLogin login =
                KafkaBroker.ScramLogin.of(scram(JAAS)).orElseThrow();

        assertThat(login.user()).isEqualTo("loyalty");
        assertThat(login.formatArgument()).isEqualTo("SCRAM-SHA-512=[name=loyalty,password=s3cret]");
        assertThat(KafkaBroker.brokerConfig(
                        "127.0.0.1", 9092, 9093, Path.of("/tmp/kafka"), java.util.Optional.of(login)))
                .containsEntry("listeners", "SASL_PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .containsEntry("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT")
                .containsEntry("inter.broker.listener.name", "SASL_PLAINTEXT")
                .containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsEntry("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config", JAAS);
    }

    @Test
    void saslScramWithoutTheClientsLoginSaysWhatIsMissing() {
        assertThatThrownBy(() -> KafkaBroker.ScramLogin.of(scram("")))
                .hasMessageContaining("KAFKA_CLIENT_SASL_JAAS_CONFIG");
        assertThatThrownBy(() -> KafkaBroker.ScramLogin.of(
                        Settings.defaults("local-stack").with(Map.of("kafka.security", "kerberos"))))
                .hasMessageContaining("plaintext or sasl_scram");
    }

    private static Settings scram(final String jaas) {
        return Settings.defaults("local-stack")
                .with(Map.of(
                        "kafka.security", "sasl_scram",
                        "kafka.client.security.protocol", "SASL_PLAINTEXT",
                        "kafka.client.sasl.mechanism", "SCRAM-SHA-512",
                        "kafka.client.sasl.jaas.config", jaas));
    }
}
