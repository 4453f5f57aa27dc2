package io.loyaltylakehouse.edge.accrual;

import static io.loyaltylakehouse.edge.accrual.RuleFixtures.T0;
import static io.loyaltylakehouse.edge.accrual.RuleFixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.edge.model.AccountEvent;
import org.junit.jupiter.api.Test;

class GlobalIdDedupTest {
    private final AccountEvent purchase = AccountEvent.purchase(purchase("t-1", "10", T0), T0, null);
    private final AccountEvent redemption = AccountEvent.redemption(new RedemptionEvent("t-1", "u-1", 5, T0), T0, null);

    @Test
    void purchasesAndRedemptionsHaveSeparateIdSpaces() {
        assertThat(GlobalIdDedup.idKey(purchase)).isEqualTo("purchase/t-1");
        assertThat(GlobalIdDedup.idKey(redemption)).isEqualTo("redemption/t-1");
    }

    @Test
    void aClaimedTransactionIdIsADuplicateUnderAnyUser() {
        assertThat(GlobalIdDedup.duplicateReason(purchase, null)).isNull();
        assertThat(GlobalIdDedup.duplicateReason(purchase, "u-1"))
                .isEqualTo("transaction_id 't-1' was already accepted (user 'u-1')");
        assertThat(GlobalIdDedup.duplicateReason(purchase, "u-2"))
                .isEqualTo("transaction_id 't-1' was already accepted (user 'u-2')");
    }

    @Test
    void aRedemptionIdBelongsToItsFirstUserWhoseTaskDecidesTheRest() {
        assertThat(GlobalIdDedup.duplicateReason(redemption, null)).isNull();
        assertThat(GlobalIdDedup.duplicateReason(redemption, "u-1"))
                .as("the owner may retry a rejected one")
                .isNull();
        assertThat(GlobalIdDedup.duplicateReason(redemption, "u-2"))
                .isEqualTo("redemption_id 't-1' already belongs to user 'u-2'");
        assertThat(GlobalIdDedup.redemptionAlreadyAccepted(redemption))
                .isEqualTo("redemption_id 't-1' was already accepted (user 'u-1')");
    }
}
