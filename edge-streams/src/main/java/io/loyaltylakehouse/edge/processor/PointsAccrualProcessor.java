package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LedgerEntry.EntryType;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.edge.accrual.FraudPause;
import io.loyaltylakehouse.edge.accrual.GlobalIdDedup;
import io.loyaltylakehouse.edge.accrual.LatePurchase;
import io.loyaltylakehouse.edge.accrual.PointsAccrual;
import io.loyaltylakehouse.edge.accrual.RedemptionRule;
import io.loyaltylakehouse.edge.model.Account;
import io.loyaltylakehouse.edge.model.AccountEvent;
import io.loyaltylakehouse.edge.model.AccrualOutputs;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.serde.AccountSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the rules of CONTRACT section 4 to a user's state: one user's purchases and redemptions in order on one task
 * (the input is keyed by the payload's user_id), so balance, pause and fraud windows change together with no race.
 * Ids reaching it passed {@link GlobalIdDedupProcessor}. Emits the contract's messages (ledger entry, balance update,
 * fraud alert, late event, redemption result, a dead letter) of one event together as one {@link AccrualOutputs},
 * which the topology writes to their typed topics.
 */
public final class PointsAccrualProcessor implements Processor<String, AccountEvent, String, AccrualOutputs> {
    public static final String ACCOUNTS_STORE = "accounts";
    /** Redemption ids accepted for this task's users (a rejected one may be retried, so the id check cannot tell). */
    public static final String ACCEPTED_REDEMPTIONS_STORE = "accepted-redemptions";

    private static final Logger LOG = LoggerFactory.getLogger(PointsAccrualProcessor.class);

    private final LatePurchase latePurchase;
    private final FraudPause fraudPause;
    private final Duration dedupRetention;
    private final EdgeCounters counters;
    private ProcessorContext<String, AccrualOutputs> context;
    private KeyValueStore<String, Account> accounts;
    private WindowStore<String, Long> acceptedRedemptions;
    private PromotionStore promotions;

    PointsAccrualProcessor(
            final LatePurchase latePurchase,
            final FraudPause fraudPause,
            final Duration dedupRetention,
            final EdgeCounters counters) {
        this.latePurchase = requireNonNull(latePurchase, "latePurchase is null");
        this.fraudPause = requireNonNull(fraudPause, "fraudPause is null");
        this.dedupRetention = requireNonNull(dedupRetention, "dedupRetention is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    public static ProcessorSupplier<String, AccountEvent, String, AccrualOutputs> supplier(
            final LatePurchase latePurchase,
            final FraudPause fraudPause,
            final Duration dedupRetention,
            final EdgeCounters counters) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AccountEvent, String, AccrualOutputs> get() {
                return new PointsAccrualProcessor(latePurchase, fraudPause, dedupRetention, counters);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(
                                        Stores.persistentKeyValueStore(ACCOUNTS_STORE),
                                        Serdes.String(),
                                        new AccountSerde())
                                .withCachingEnabled(),
                        Stores.windowStoreBuilder(
                                Stores.persistentWindowStore(
                                        ACCEPTED_REDEMPTIONS_STORE, dedupRetention, Duration.ofMillis(1), false),
                                Serdes.String(),
                                Serdes.Long()));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, AccrualOutputs> context) {
        this.context = context;
        accounts = context.getStateStore(ACCOUNTS_STORE);
        acceptedRedemptions = context.getStateStore(ACCEPTED_REDEMPTIONS_STORE);
        promotions = new PromotionStore(context.getStateStore(PromotionStore.NAME));
    }

    @Override
    public void process(final Record<String, AccountEvent> record) {
        final AccountEvent event = record.value();
        if (event.purchase() != null) {
            onPurchase(record, event.purchase(), event.partitionStreamTime());
        } else {
            onRedemption(record, event);
        }
    }

    private void onPurchase(
            final Record<String, AccountEvent> record, final PurchaseEvent purchase, final Instant streamTime) {
        final Instant now = now();
        final int multiplier = PointsAccrual.bestMultiplier(
                promotions.activeFor(purchase.storeId(), purchase.eventTime()),
                purchase.storeId(),
                purchase.eventTime());
        final long points = PointsAccrual.points(purchase, multiplier);
        final long latenessMs = LatePurchase.latenessMs(purchase, streamTime);
        final boolean late = latePurchase.isLate(latenessMs);
        final Account before = account(purchase.userId());
        final FraudPause.Decision decision = fraudPause.apply(before, purchase, points, late, streamTime);
        accounts.put(purchase.userId(), decision.account());

        // Nothing is thrown away: a paused purchase's entry records what the pause withheld.
        final LedgerEntry entry = new LedgerEntry(
                purchase.transactionId(),
                purchase.userId(),
                decision.paused() ? 0 : points,
                decision.paused() ? points : 0,
                decision.paused() ? LedgerStatus.PAUSED : LedgerStatus.AWARDED,
                EntryType.EARN,
                purchase.transactionId(),
                null,
                purchase.storeId(),
                purchase.amount(),
                multiplier,
                purchase.eventTime(),
                now);
        if (decision.alert() != null) {
            counters.fraudAlert();
            LOG.info(
                    "Fraud pause: user {} earned {} points in window {}..{}, paused until {} (transaction {})",
                    purchase.userId(),
                    decision.alert().pointsInWindow(),
                    decision.alert().windowStart(),
                    decision.alert().windowEnd(),
                    decision.alert().pausedUntil(),
                    purchase.transactionId());
        }
        if (late) {
            counters.late();
        }
        final LateEvent lateEvent = late ? LatePurchase.lateEvent(purchase, entry.points(), latenessMs, now) : null;
        emit(
                record,
                AccrualOutputs.purchase(
                        entry,
                        balanceIfChanged(purchase.userId(), before, decision.account()),
                        decision.alert(),
                        lateEvent));
        if (decision.paused()) {
            counters.paused(entry);
        } else {
            counters.awarded(entry);
        }
    }

    private void onRedemption(final Record<String, AccountEvent> record, final AccountEvent event) {
        final RedemptionEvent redemption = event.redemption();
        if (isAccepted(redemption.redemptionId())) {
            counters.duplicate();
            final String reason = GlobalIdDedup.redemptionAlreadyAccepted(event);
            counters.deadLettered(event.source().topic(), reason);
            emit(record, AccrualOutputs.refused(event.source().deadLetter(reason, now())));
            return;
        }
        final Account before = account(redemption.userId());
        final RedemptionRule.Redeemed redeemed = RedemptionRule.redeem(before, redemption, now());
        if (redeemed.accepted()) {
            accounts.put(redemption.userId(), redeemed.account());
            final long now = context.currentSystemTimeMs();
            acceptedRedemptions.put(redemption.redemptionId(), now, now);
            emit(
                    record,
                    AccrualOutputs.redemption(
                            redeemed.entry(),
                            balanceIfChanged(redemption.userId(), before, redeemed.account()),
                            redeemed.result()));
            counters.redeemed(redeemed.entry());
        } else {
            counters.rejected();
            emit(record, AccrualOutputs.redemption(null, null, redeemed.result()));
        }
    }

    private boolean isAccepted(final String redemptionId) {
        final long from = Math.max(0, context.currentSystemTimeMs() - dedupRetention.toMillis());
        try (WindowStoreIterator<Long> seen = acceptedRedemptions.fetch(redemptionId, from, Long.MAX_VALUE)) {
            return seen.hasNext();
        }
    }

    private Account account(final String userId) {
        final Account account = accounts.get(userId);
        return account == null ? Account.NEW : account;
    }

    /** The new balance message, or null when neither balance nor pause changed (and the user is not new). */
    private static BalanceUpdate balanceIfChanged(final String userId, final Account before, final Account after) {
        if (before.balance() != after.balance()
                || !Objects.equals(before.pausedUntil(), after.pausedUntil())
                || before == Account.NEW) {
            return new BalanceUpdate(userId, after.balance(), after.pausedUntil());
        }
        return null;
    }

    private void emit(final Record<String, AccountEvent> record, final AccrualOutputs outputs) {
        context.forward(record.withValue(outputs));
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
