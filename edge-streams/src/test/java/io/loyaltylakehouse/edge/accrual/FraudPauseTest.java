package io.loyaltylakehouse.edge.accrual;

import static io.loyaltylakehouse.edge.accrual.RuleFixtures.T0;
import static io.loyaltylakehouse.edge.accrual.RuleFixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.edge.model.Account;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class FraudPauseTest {
    private final FraudPause rule =
            new FraudPause(1000, Duration.ofMinutes(5), Duration.ofHours(1), Duration.ofMinutes(10));

    @Test
    void thePurchaseCrossingTheLimitIsAwardedAlertsAndPauses() {
        final Instant crossing = T0.plus(Duration.ofMinutes(6));
        final FraudPause.Decision first = rule.apply(
                Account.NEW,
                purchase("t-1", "600", T0.plus(Duration.ofMinutes(5))),
                600,
                false,
                T0.plus(Duration.ofMinutes(5)));
        final FraudPause.Decision second =
                rule.apply(first.account(), purchase("t-2", "500", crossing), 500, false, crossing);

        assertThat(first.alert()).isNull();
        assertThat(second.paused()).isFalse();
        assertThat(second.alert())
                .isEqualTo(new FraudAlert(
                        "u-1",
                        T0.plus(Duration.ofMinutes(5)),
                        T0.plus(Duration.ofMinutes(10)),
                        1100,
                        "t-2",
                        crossing.plus(Duration.ofHours(1))));
        assertThat(second.account())
                .isEqualTo(new Account(
                        1100,
                        crossing.plus(Duration.ofHours(1)),
                        new TreeMap<>(Map.of(T0.plus(Duration.ofMinutes(5)).toEpochMilli(), 1100L))));
    }

    @Test
    void aPausedUserEarnsNothingUntilPausedUntil() {
        final Instant pausedUntil = T0.plus(Duration.ofHours(1));
        final Account paused = new Account(10, pausedUntil, new TreeMap<>());
        assertThat(rule.apply(paused, purchase("t-1", "5", pausedUntil.minusMillis(1)), 5, false, T0)
                        .paused())
                .isTrue();
        assertThat(rule.apply(paused, purchase("t-1", "5", pausedUntil.minusMillis(1)), 5, false, T0)
                        .account()
                        .balance())
                .isEqualTo(10);
        assertThat(rule.apply(paused, purchase("t-2", "5", pausedUntil), 5, false, T0)
                        .account()
                        .balance())
                .isEqualTo(15);
    }

    @Test
    void aLatePurchaseNeverCountsIntoAWindowButIsStillPaused() {
        final Account nearLimit = new Account(1000, null, new TreeMap<>(Map.of(T0.toEpochMilli(), 1000L)));
        final FraudPause.Decision late = rule.apply(nearLimit, purchase("t-1", "50", T0), 50, true, T0.plusSeconds(60));
        assertThat(late.alert()).isNull();
        assertThat(late.account().windowPoints()).containsExactly(Map.entry(T0.toEpochMilli(), 1000L));
        assertThat(late.account().balance()).isEqualTo(1050);
    }

    @Test
    void windowsAreDroppedOnceTheStreamTimePassesTheirEndByTheAllowedLateness() {
        final Account account = new Account(0, null, new TreeMap<>(Map.of(T0.toEpochMilli(), 10L)));
        final Instant closes = T0.plus(Duration.ofMinutes(15));
        assertThat(rule.apply(account, purchase("t-1", "1", closes.minusMillis(1)), 1, false, closes.minusMillis(1))
                        .account()
                        .windowPoints())
                .containsKey(T0.toEpochMilli());
        assertThat(rule.apply(account, purchase("t-1", "1", closes), 1, false, closes)
                        .account()
                        .windowPoints())
                .doesNotContainKey(T0.toEpochMilli());
    }

    @Test
    void theLimitWindowAndPauseAreSettings() {
        final FraudPause strict = new FraudPause(10, Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ZERO);
        final FraudPause.Decision decision =
                strict.apply(Account.NEW, purchase("t-1", "11", T0.plusSeconds(61)), 11, false, T0.plusSeconds(61));
        assertThat(decision.alert())
                .isEqualTo(new FraudAlert(
                        "u-1", T0.plusSeconds(60), T0.plusSeconds(120), 11, "t-1", T0.plusSeconds(61 + 120)));
    }
}
