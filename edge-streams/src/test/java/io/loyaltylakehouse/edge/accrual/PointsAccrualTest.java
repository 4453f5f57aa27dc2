package io.loyaltylakehouse.edge.accrual;

import static io.loyaltylakehouse.edge.accrual.RuleFixtures.T0;
import static io.loyaltylakehouse.edge.accrual.RuleFixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.Promotion;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointsAccrualTest {

    @Test
    void pointsAreTheFloorOfTheAmountTimesTheMultiplier() {
        assertThat(PointsAccrual.points(purchase("t-1", "25.90", T0), 1)).isEqualTo(25);
        assertThat(PointsAccrual.points(purchase("t-1", "0.99", T0), 3)).isZero();
        assertThat(PointsAccrual.points(purchase("t-1", "1000000", T0), 1000)).isEqualTo(1_000_000_000L);
    }

    @Test
    void theHighestActivePromotionForTheStoreWinsElseOne() {
        final List<Promotion> promotions = List.of(
                new Promotion("all", 2, null, T0, T0.plus(Duration.ofHours(1))),
                new Promotion("s-1", 3, "s-1", T0.plusSeconds(60), T0.plusSeconds(120)),
                new Promotion("s-2", 5, "s-2", T0, T0.plus(Duration.ofHours(1))));
        assertThat(PointsAccrual.bestMultiplier(promotions, "s-1", T0)).isEqualTo(2);
        assertThat(PointsAccrual.bestMultiplier(promotions, "s-1", T0.plusSeconds(60)))
                .isEqualTo(3);
        assertThat(PointsAccrual.bestMultiplier(promotions, "s-1", T0.plusSeconds(120)))
                .isEqualTo(2);
        assertThat(PointsAccrual.bestMultiplier(promotions, "s-3", T0.plus(Duration.ofHours(1))))
                .isEqualTo(1);
        assertThat(PointsAccrual.bestMultiplier(List.of(), "s-1", T0)).isEqualTo(1);
    }
}
