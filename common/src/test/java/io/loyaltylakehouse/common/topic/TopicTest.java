package io.loyaltylakehouse.common.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Topics;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TopicTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void aMessageSurvivesItsTopicsSerdes() {
        // Given: a balance with a pause, and one without (the contract writes the null out)
        final BalanceUpdate paused = new BalanceUpdate("u-1", 125, NOW);
        final BalanceUpdate free = new BalanceUpdate("u-2", 0, null);

        // When / Then: what a producer writes is what a consumer reads
        final Topic<String, BalanceUpdate> topic = Topics.LOYALTY_POINTS_REALTIME;
        assertThat(topic.value(topic.valueBytes(paused))).isEqualTo(paused);
        assertThat(new String(topic.valueBytes(free), StandardCharsets.UTF_8)).contains("\"paused_until\":null");
        assertThat(topic.value(topic.valueBytes(free))).isEqualTo(free);
        assertThat(topic.key(topic.keyBytes("u-1"))).isEqualTo("u-1");
    }

    @Test
    void nullIsATombstoneBothWays() {
        assertThat(Topics.PROMOTIONS.valueBytes(null)).isNull();
        assertThat(Topics.PROMOTIONS.value(null)).isNull();
        assertThat(Topics.LEGACY_MEMBERS.key(null)).isNull();
    }

    @Test
    void bytesThatAreNotTheMessageFailWithTheReason() {
        assertThatThrownBy(() -> Topics.POINTS_LEDGER.value("{\"points\": broken".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("not a valid LedgerEntry: ");
    }

    @Test
    void aRenamedTopicKeepsItsMessage() {
        final Topic<String, BalanceUpdate> renamed = Topics.LOYALTY_POINTS_REALTIME.named("it_balances");

        assertThat(renamed.name()).isEqualTo("it_balances");
        assertThat(renamed.valueSerde()).isEqualTo(new JsonSerde<>(BalanceUpdate.class));
        assertThat(renamed.named(Topics.LOYALTY_POINTS_REALTIME.name())).isEqualTo(Topics.LOYALTY_POINTS_REALTIME);
        assertThatThrownBy(() -> renamed.named(" ")).hasMessage("a topic name must not be blank");
    }

    @Test
    void anInputsDeadLettersGoToItsDlq() {
        final Topic<String, DeadLetter> dlq = Topics.deadLettersOf(Topics.PURCHASE_EVENTS.named("it_purchases"));

        assertThat(dlq.name()).isEqualTo("it_purchases.dlq");
        final DeadLetter letter = DeadLetter.of("{oops".getBytes(StandardCharsets.UTF_8), "not JSON", "p", 0, 1, NOW);
        assertThat(dlq.value(dlq.valueBytes(letter))).isEqualTo(letter);
    }

    @Test
    void everyProvisionedTopicIsOneOfTheTypedOnes() {
        assertThat(Topics.all())
                .extracting(Topics.Spec::name)
                .contains(
                        Topics.PURCHASE_EVENTS.name(),
                        Topics.POINTS_LEDGER.name(),
                        Topics.LEGACY_DLQ.name(),
                        Topics.deadLettersOf(Topics.PROMOTIONS).name());
        assertThat(Topics.INPUTS).containsExactly("purchase_events", "redemption_events", "promotions");
    }
}
