package io.loyaltylakehouse.edge.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.edge.EdgeFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EdgeStreamsConfigTest {

    @Test
    void defaultsAreTheContracts() {
        final EdgeStreamsConfig config = EdgeStreamsConfig.from(Settings.defaults(EdgeStreamsConfig.COMPONENT));
        assertThat(config.applicationId()).isEqualTo("loyalty-edge-streams");
        assertThat(config.stateDir()).isEqualTo(Path.of(".data", "edge-streams", "state"));
        assertThat(config.dedupRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(config.allowedLateness()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.streamTimeMaxLead()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.fraudLimitPoints()).isEqualTo(1000);
        assertThat(config.fraudWindow()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.numStreamThreads()).isEqualTo(1);
        assertThat(config.commitIntervalMs()).isEqualTo(20);
        assertThat(config.fraudPause()).isEqualTo(Duration.ofHours(1));
        assertThat(config.promotionRetention()).isEqualTo(Duration.ofDays(1));
        assertThat(config.httpHost()).isEqualTo("127.0.0.1");
        assertThat(config.httpPort()).isEqualTo(8090);
        assertThat(config.advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(config.topics()).isEqualTo(EdgeTopics.contract());
        assertThat(config.streamsOverrides())
                .containsOnly(
                        Map.entry("producer.linger.ms", "5"),
                        Map.entry("producer.max.request.size", "524288"),
                        Map.entry("poll.ms", "5"));
    }

    @Test
    void everySettingMapsToStreamsProperties() {
        final EdgeStreamsConfig config = EdgeStreamsConfig.from(Settings.defaults(EdgeStreamsConfig.COMPONENT)
                .with(Map.of(
                        "edge.application.id", "edge-it",
                        "kafka.bootstrap", "broker:1234",
                        "edge.state.dir", "/var/lib/edge",
                        "edge.num.stream.threads", "3",
                        "edge.commit.interval.ms", "30",
                        "edge.advertised.host", "edge-1.example",
                        "rules.fraud.limit-points", "500",
                        "edge.topic.purchase-events", "it-purchases",
                        "streams.num.standby.replicas", "1")));
        assertThat(config.fraudLimitPoints()).isEqualTo(500);
        final Properties props = config.streamsProperties(18090);
        assertThat(props)
                .containsEntry("application.id", "edge-it")
                .containsEntry("bootstrap.servers", "broker:1234")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("state.dir", "/var/lib/edge")
                .containsEntry("num.stream.threads", "3")
                .containsEntry("commit.interval.ms", "30")
                .containsEntry("application.server", "edge-1.example:18090")
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("producer.linger.ms", "5")
                .containsEntry("edge.input.topics", "it-purchases,redemption_events,promotions");
        assertThat(config.promotionDeadLetterProperties(18090))
                .containsEntry("application.id", "edge-it-promotions-dlq")
                .doesNotContainKey("application.server");
    }

    @Test
    void anInstanceKeepsItsGroupInstanceIdAcrossRestartsAndTwoStateDirectoriesGetTwo() {
        final String first = EdgeStreamsConfig.groupInstanceId("host-a", Path.of("/var/lib/edge/state"));

        assertThat(first)
                .startsWith("edge-streams-host-a-")
                .isEqualTo(EdgeStreamsConfig.groupInstanceId("host-a", Path.of("/var/lib/edge/./state")))
                .isNotEqualTo(EdgeStreamsConfig.groupInstanceId("host-a", Path.of("/var/lib/edge/state-2")))
                .isNotEqualTo(EdgeStreamsConfig.groupInstanceId("host-b", Path.of("/var/lib/edge/state")));
        assertThat(EdgeFixtures.config(Path.of("/tmp/edge")).streamsProperties(0))
                .containsKey("group.instance.id");
        assertThat(EdgeStreamsConfig.from(Settings.defaults(EdgeStreamsConfig.COMPONENT)
                                .with(Map.of("streams.group.instance.id", "edge-east-1")))
                        .streamsProperties(0))
                .containsEntry("group.instance.id", "edge-east-1");
    }

    @Test
    void badValuesFailWithTheKey() {
        assertThatThrownBy(() -> EdgeStreamsConfig.from(
                        Settings.defaults(EdgeStreamsConfig.COMPONENT).with(Map.of("rules.allowed-lateness", "soon"))))
                .hasMessageContaining("setting 'rules.allowed-lateness' = 'soon' is invalid")
                .hasMessageContaining("RULES_ALLOWED_LATENESS");
        assertThatThrownBy(() -> EdgeStreamsConfig.from(
                        Settings.defaults(EdgeStreamsConfig.COMPONENT).with(Map.of("edge.commit.interval.ms", "0"))))
                .hasMessage("edge-streams: edge.commit.interval.ms must be >= 1, got 0");
    }
}
