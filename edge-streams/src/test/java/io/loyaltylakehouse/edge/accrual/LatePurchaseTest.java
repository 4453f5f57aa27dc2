package io.loyaltylakehouse.edge.accrual;

import static io.loyaltylakehouse.edge.accrual.RuleFixtures.NOW;
import static io.loyaltylakehouse.edge.accrual.RuleFixtures.T0;
import static io.loyaltylakehouse.edge.accrual.RuleFixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.LateEvent;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LatePurchaseTest {
    private final LatePurchase rule = new LatePurchase(Duration.ofMinutes(10));

    @Test
    void exactlyTheAllowedLatenessBehindIsOnTimeOneMillisecondMoreIsLate() {
        final long onTime = LatePurchase.latenessMs(purchase("t-1", "1", T0), T0.plus(Duration.ofMinutes(10)));
        final long late = LatePurchase.latenessMs(
                purchase("t-1", "1", T0), T0.plus(Duration.ofMinutes(10)).plusMillis(1));
        assertThat(rule.isLate(onTime)).isFalse();
        assertThat(rule.isLate(late)).isTrue();
        assertThat(LatePurchase.latenessMs(purchase("t-1", "1", T0.plusSeconds(1)), T0))
                .as("ahead is not behind")
                .isZero();
    }

    @Test
    void theCopyCarriesTheAwardedPointsAndTheLateness() {
        assertThat(LatePurchase.lateEvent(purchase("t-1", "25.90", T0), 50, 660_000, NOW))
                .isEqualTo(new LateEvent("t-1", "u-1", "s-1", new BigDecimal("25.90"), 50, T0, 660_000, NOW));
    }
}
