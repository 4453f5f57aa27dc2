package io.loyaltylakehouse.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Settings;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
    private final Settings defaults = Settings.defaults("load-generator");

    @Test
    void defaultsComeFromTheProperties() {
        final LoadOptions options = LoadOptions.parse(defaults);

        assertThat(options.settings().requireLong("events")).isEqualTo(10_000);
        assertThat(options.settings().requireLong("seed")).isEqualTo(42);
        assertThat(options.settings().require("rate")).isEqualTo("0");
        assertThat(options.dryRun()).isFalse();
        assertThat(options.realtime()).isTrue();
        assertThat(options.legacy()).isTrue();
    }

    @Test
    void optionsReplaceSettingsInBothSpellings() {
        final LoadOptions options = LoadOptions.parse(
                defaults,
                "--events",
                "500",
                "--rate=200",
                "--seed",
                "9",
                "--truth=/tmp/t.json",
                "--run-id",
                "abc",
                "--dry-run",
                "--realtime-only");

        assertThat(options.settings().requireLong("events")).isEqualTo(500);
        assertThat(options.settings().require("rate")).isEqualTo("200");
        assertThat(options.settings().requireLong("seed")).isEqualTo(9);
        assertThat(options.settings().require("truth")).isEqualTo("/tmp/t.json");
        assertThat(options.settings().require("load.run-id")).isEqualTo("abc");
        assertThat(options.dryRun()).isTrue();
        assertThat(options.legacy()).isFalse();
    }

    @Test
    void unknownOrContradictoryOptionsAreRefused() {
        assertThatThrownBy(() -> LoadOptions.parse(defaults, "--speed", "3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option '--speed'");
        assertThatThrownBy(() -> LoadOptions.parse(defaults, "--legacy-only", "--realtime-only"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exclude each other");
        assertThatThrownBy(() -> LoadOptions.parse(defaults, "--events"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a value");
    }

    @Test
    void progressBarShowsShareCountAndRate() {
        assertThat(ProgressBar.render(5_200, 10_000, 1.0442))
                .isEqualTo("[################..............]  52% 5200/10000 events 4980 ev/s");
    }
}
