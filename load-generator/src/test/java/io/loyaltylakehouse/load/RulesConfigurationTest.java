package io.loyaltylakehouse.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.load.oracle.Rules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The rules' numbers live in three places that must agree: the configuration file edge-streams applies and the load
 * generator reads ({@code loyalty-rules.properties}), the truth's own copy of the contract ({@link Rules#CONTRACT}),
 * and dbt's default for the fraud pause ({@code fraud_pause_minutes} in {@code dbt_project.yml}, and the lint
 * context in {@code .sqlfluff}). A number changed in one place only fails here.
 */
class RulesConfigurationTest {
    private static final Path DBT_PROJECT = Path.of("..", "dbt", "project");

    @Test
    void theConfiguredNumbersAreTheContractsCopy() {
        assertThat(LoadGenerator.rulesOf(Settings.defaults("load-generator"))).isEqualTo(Rules.CONTRACT);
    }

    @Test
    void dbtsFraudPauseIsTheConfiguredOne() throws IOException {
        final long configured = Settings.defaults("load-generator")
                .requireDuration("rules.fraud.pause")
                .toMinutes();
        assertThat(configured).isEqualTo(Rules.CONTRACT.pause().toMinutes());
        assertThat(number(DBT_PROJECT.resolve("dbt_project.yml"), "fraud_pause_minutes:\\s*(\\d+)"))
                .isEqualTo(configured);
        assertThat(number(DBT_PROJECT.resolve(".sqlfluff"), "fraud_pause_minutes\\s*=\\s*(\\d+)"))
                .isEqualTo(configured);
    }

    @Test
    void theTruthFollowsAnOverriddenNumber() {
        // as RULES_FRAUD_PAUSE / RULES_FRAUD_LIMIT_POINTS would, for edge-streams and the truth alike
        final Settings overridden = Settings.defaults("load-generator")
                .with(Map.of("rules.fraud.pause", "30m", "rules.fraud.limit-points", "500"));
        final Rules rules = LoadGenerator.rulesOf(overridden);
        assertThat(rules.pause()).isEqualTo(Duration.ofMinutes(30));
        assertThat(rules.fraudLimit()).isEqualTo(500);
    }

    private static long number(final Path file, final String pattern) throws IOException {
        final Matcher matcher = Pattern.compile(pattern).matcher(Files.readString(file));
        assertThat(matcher.find()).as(file + " sets " + pattern).isTrue();
        return Long.parseLong(matcher.group(1));
    }
}
