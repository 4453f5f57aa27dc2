package io.loyaltylakehouse.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SettingsTest {

    @Test
    void sharedDefaultsComeFromTheContract() {
        final Settings settings = Settings.load("no-such-component", Map.of(), new Properties());

        assertThat(settings.require("kafka.bootstrap")).isEqualTo("127.0.0.1:9092");
        assertThat(settings.requireInt("pg.port")).isEqualTo(5433);
        assertThat(settings.require("trino.url")).isEqualTo("https://127.0.0.1:8443");
    }

    @Test
    void everyComponentReadsTheRulesNumbersFromOneFileAndTheEnvironmentOverridesThem() {
        final Settings defaults = Settings.load("no-such-component", Map.of(), new Properties());
        final Settings overridden =
                Settings.load("no-such-component", Map.of("RULES_FRAUD_PAUSE", "30m"), new Properties());

        assertThat(defaults.requireLong("rules.fraud.limit-points")).isEqualTo(1000);
        assertThat(defaults.requireDuration("rules.fraud.window")).isEqualTo(Duration.ofMinutes(5));
        assertThat(defaults.requireDuration("rules.fraud.pause")).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.requireDuration("rules.allowed-lateness")).isEqualTo(Duration.ofMinutes(10));
        assertThat(defaults.requireDuration("rules.dedup-retention")).isEqualTo(Duration.ofDays(7));
        assertThat(overridden.requireDuration("rules.fraud.pause")).isEqualTo(Duration.ofMinutes(30));
    }

    @Test
    void environmentThenSystemPropertiesOverride() {
        final Properties system = new Properties();
        system.setProperty("pg.port", "7777");

        final Settings settings = Settings.load("x", Map.of("KAFKA_BOOTSTRAP", "broker:1", "PG_PORT", "6666"), system);

        assertThat(settings.require("kafka.bootstrap")).isEqualTo("broker:1");
        assertThat(settings.requireInt("pg.port")).isEqualTo(7777);
    }

    @Test
    void missingOrInvalidSettingsNameTheirVariable() {
        final Settings settings = Settings.of("edge-streams", Map.of("a.b", "x"));

        assertThatThrownBy(() -> settings.require("missing.key"))
                .hasMessage("edge-streams: setting 'missing.key' is missing (set it in edge-streams.properties "
                        + "or the environment variable MISSING_KEY)");
        assertThatThrownBy(() -> settings.requireInt("a.b"))
                .hasMessageStartingWith("edge-streams: setting 'a.b' = 'x' is invalid");
    }

    @Test
    void durationsAcceptIsoAndUnitSuffixes() {
        assertThat(Settings.parseDuration("PT10M")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Settings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Settings.parseDuration("7d")).isEqualTo(Duration.ofDays(7));
        assertThat(Settings.parseDuration("30")).isEqualTo(Duration.ofSeconds(30));
        assertThatThrownBy(() -> Settings.parseDuration("3 weeks")).hasMessageContaining("unknown duration unit");
    }

    @Test
    void prefixedKeysPassThroughToClients() {
        final Settings settings = Settings.of("x", Map.of("streams.linger.ms", "5", "other", "1"));

        assertThat(settings.withPrefix("streams")).containsExactlyEntriesOf(Map.of("linger.ms", "5"));
    }
}
