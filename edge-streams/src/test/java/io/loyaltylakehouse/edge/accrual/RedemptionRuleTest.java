package io.loyaltylakehouse.edge.accrual;

import static io.loyaltylakehouse.edge.accrual.RuleFixtures.NOW;
import static io.loyaltylakehouse.edge.accrual.RuleFixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.edge.model.Account;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RedemptionRuleTest {

    @Test
    void acceptedWhenTheBalanceCoversItExactly() {
        final RedemptionRule.Redeemed redeemed = RedemptionRule.redeem(
                new Account(40, null, new TreeMap<>()), new RedemptionEvent("r-1", "u-1", 40, T0), NOW);
        assertThat(redeemed.accepted()).isTrue();
        assertThat(redeemed.account().balance()).isZero();
        assertThat(redeemed.entry())
                .isEqualTo(new LedgerEntry(
                        "r-1",
                        "u-1",
                        -40,
                        0,
                        LedgerEntry.LedgerStatus.AWARDED,
                        LedgerEntry.EntryType.REDEEM,
                        null,
                        "r-1",
                        null,
                        null,
                        0,
                        T0,
                        NOW));
        assertThat(redeemed.result())
                .isEqualTo(new RedemptionResult("r-1", "u-1", 40, RedemptionResult.Status.ACCEPTED, null));
    }

    @Test
    void rejectedWithTheReasonWhenItWouldGoBelowZero() {
        final Account account = new Account(39, null, new TreeMap<>());
        final RedemptionRule.Redeemed redeemed =
                RedemptionRule.redeem(account, new RedemptionEvent("r-1", "u-1", 40, T0), NOW);
        assertThat(redeemed.accepted()).isFalse();
        assertThat(redeemed.account()).isSameAs(account);
        assertThat(redeemed.result())
                .isEqualTo(new RedemptionResult(
                        "r-1", "u-1", 40, RedemptionResult.Status.REJECTED, "insufficient balance: 39 < 40"));
    }
}
