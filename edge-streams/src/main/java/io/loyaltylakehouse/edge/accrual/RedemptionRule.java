package io.loyaltylakehouse.edge.accrual;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LedgerEntry.EntryType;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.edge.model.Account;
import java.time.Instant;

/**
 * CONTRACT 4.5, redemption: accepted only if the user's balance covers it (a ledger entry with negative points),
 * otherwise REJECTED with the reason. A balance never goes below zero. A rejected redemption was never accepted, so
 * the same redemption_id may be retried.
 */
public final class RedemptionRule {
    private RedemptionRule() {}

    /** A redemption's outcome; {@code entry} is null when it was rejected. */
    public record Redeemed(Account account, LedgerEntry entry, RedemptionResult result) {
        public boolean accepted() {
            return entry != null;
        }
    }

    public static Redeemed redeem(final Account account, final RedemptionEvent redemption, final Instant now) {
        if (account.balance() < redemption.points()) {
            final String reason = "insufficient balance: " + account.balance() + " < " + redemption.points();
            return new Redeemed(
                    account,
                    null,
                    new RedemptionResult(
                            redemption.redemptionId(),
                            redemption.userId(),
                            redemption.points(),
                            RedemptionResult.Status.REJECTED,
                            reason));
        }
        final Account next =
                new Account(account.balance() - redemption.points(), account.pausedUntil(), account.windowPoints());
        final LedgerEntry entry = new LedgerEntry(
                redemption.redemptionId(),
                redemption.userId(),
                -redemption.points(),
                0,
                LedgerStatus.AWARDED,
                EntryType.REDEEM,
                null,
                redemption.redemptionId(),
                null,
                null,
                0,
                redemption.eventTime(),
                now);
        return new Redeemed(
                next,
                entry,
                new RedemptionResult(
                        redemption.redemptionId(),
                        redemption.userId(),
                        redemption.points(),
                        RedemptionResult.Status.ACCEPTED,
                        null));
    }
}
