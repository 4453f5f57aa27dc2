package io.loyaltylakehouse.edge.model;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionResult;

/**
 * Everything one account event produced, each part bound for its own output topic; a part that is null was not
 * produced. {@link io.loyaltylakehouse.edge.topology.PointsAccrualTopology} writes each part to its typed topic.
 */
public record AccrualOutputs(
        LedgerEntry ledgerEntry,
        BalanceUpdate balanceUpdate,
        FraudAlert fraudAlert,
        LateEvent lateEvent,
        RedemptionResult redemptionResult,
        DeadLetter deadLetter) {

    /** A purchase: always its ledger entry; an alert when it crossed the fraud limit, a copy when late. */
    public static AccrualOutputs purchase(
            final LedgerEntry entry, final BalanceUpdate balance, final FraudAlert alert, final LateEvent late) {
        return new AccrualOutputs(entry, balance, alert, late, null, null);
    }

    /** A redemption: always its result; a ledger entry and a balance when accepted. */
    public static AccrualOutputs redemption(
            final LedgerEntry entry, final BalanceUpdate balance, final RedemptionResult result) {
        return new AccrualOutputs(entry, balance, null, null, result, null);
    }

    /** An event refused here (a redemption already accepted). */
    public static AccrualOutputs refused(final DeadLetter deadLetter) {
        return new AccrualOutputs(null, null, null, null, null, deadLetter);
    }
}
