package io.loyaltylakehouse.edge.processor;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.edge.accrual.PointsAccrual;
import io.loyaltylakehouse.edge.model.Account;
import io.loyaltylakehouse.edge.model.AccountEvent;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.serde.AccountSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies purchases and redemptions to the user's account, one user's events in order on one task (the input is
 * keyed by user_id), so balance, pause and fraud windows change together with no race. Emits the contract's
 * messages (ledger entry, balance update, fraud alert, late event, redemption result) as values for
 * {@link io.loyaltylakehouse.edge.topology.OutputRouter}.
 *
 * <p>Dedup: accepted transaction_ids / redemption_ids are remembered in a window store keyed by id at the time
 * they were accepted; segments older than the retention are dropped by the store, so it never grows without bound.
 */
public final class PointsAccrualProcessor implements Processor<String, AccountEvent, String, Object> {
    public static final String ACCOUNTS_STORE = "accounts";
    public static final String ACCEPTED_IDS_STORE = "accepted-ids";
    private static final Logger LOG = LoggerFactory.getLogger(PointsAccrualProcessor.class);

    private final PointsAccrual accrual;
    private final Duration dedupRetention;
    private final EdgeCounters counters;
    private ProcessorContext<String, Object> context;
    private KeyValueStore<String, Account> accounts;
    private WindowStore<String, Long> acceptedIds;
    private ReadOnlyKeyValueStore<String, Promotion> promotions;

    PointsAccrualProcessor(final PointsAccrual accrual, final Duration dedupRetention, final EdgeCounters counters) {
        this.accrual = requireNonNull(accrual, "accrual is null");
        this.dedupRetention = requireNonNull(dedupRetention, "dedupRetention is null");
        this.counters = requireNonNull(counters, "counters is null");
    }

    public static ProcessorSupplier<String, AccountEvent, String, Object> supplier(final PointsAccrual accrual,
            final Duration dedupRetention, final EdgeCounters counters) {
        return new ProcessorSupplier<>() {
            @Override
            public Processor<String, AccountEvent, String, Object> get() {
                return new PointsAccrualProcessor(accrual, dedupRetention, counters);
            }

            @Override
            public Set<StoreBuilder<?>> stores() {
                return Set.of(
                        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ACCOUNTS_STORE),
                                Serdes.String(), new AccountSerde()).withCachingEnabled(),
                        Stores.windowStoreBuilder(Stores.persistentWindowStore(ACCEPTED_IDS_STORE, dedupRetention,
                                Duration.ofMillis(1), false), Serdes.String(), Serdes.Long()));
            }
        };
    }

    @Override
    public void init(final ProcessorContext<String, Object> context) {
        this.context = context;
        accounts = context.getStateStore(ACCOUNTS_STORE);
        acceptedIds = context.getStateStore(ACCEPTED_IDS_STORE);
        promotions = context.getStateStore(PromotionStoreUpdater.PROMOTIONS_STORE);
    }

    @Override
    public void process(final Record<String, AccountEvent> record) {
        final AccountEvent event = record.value();
        if (event.purchase() != null) {
            onPurchase(record, event.purchase(), event.partitionStreamTime());
        } else {
            onRedemption(record, event.redemption());
        }
    }

    private void onPurchase(final Record<String, AccountEvent> record, final PurchaseEvent purchase,
            final Instant partitionStreamTime) {
        final String acceptedId = "purchase/" + purchase.transactionId();
        if (isAlreadyAccepted(acceptedId)) {
            counters.duplicate();
            return;
        }
        final int multiplier = PointsAccrual.bestMultiplier(activePromotions(), purchase.storeId(), purchase.eventTime());
        final Account before = account(purchase.userId());
        final PointsAccrual.Earned earned = accrual.earn(before, purchase, multiplier, partitionStreamTime, now());
        accounts.put(purchase.userId(), earned.account());
        rememberAccepted(acceptedId);

        emit(record, earned.entry());
        if (earned.alert() != null) {
            counters.fraudAlert();
            LOG.info("Fraud pause: user {} earned {} points in window {}..{}, paused until {} (transaction {})",
                    purchase.userId(), earned.alert().pointsInWindow(), earned.alert().windowStart(),
                    earned.alert().windowEnd(), earned.alert().pausedUntil(), purchase.transactionId());
            emit(record, earned.alert());
        }
        if (earned.late() != null) {
            counters.late();
            emit(record, earned.late());
        }
        emitBalanceIfChanged(record, purchase.userId(), before, earned.account());
        if (earned.entry().status() == LedgerStatus.PAUSED) {
            counters.paused(earned.entry());
        } else {
            counters.awarded(earned.entry());
        }
    }

    private void onRedemption(final Record<String, AccountEvent> record, final RedemptionEvent redemption) {
        final String acceptedId = "redemption/" + redemption.redemptionId();
        if (isAlreadyAccepted(acceptedId)) {
            counters.duplicate();
            return;
        }
        final Account before = account(redemption.userId());
        final PointsAccrual.Redeemed redeemed = accrual.redeem(before, redemption, now());
        if (redeemed.entry() != null) {
            accounts.put(redemption.userId(), redeemed.account());
            rememberAccepted(acceptedId);
            emit(record, redeemed.entry());
            emitBalanceIfChanged(record, redemption.userId(), before, redeemed.account());
            counters.redeemed(redeemed.entry());
        } else {
            counters.rejected();
        }
        emit(record, redeemed.result());
    }

    /**
     * Accepted within the retention, on the wall clock: event times may be anything (replays, late events),
     * the retention is about how long the pipeline remembers. Upper bound open in case the clock stepped back.
     */
    private boolean isAlreadyAccepted(final String acceptedId) {
        final long from = Math.max(0, context.currentSystemTimeMs() - dedupRetention.toMillis());
        try (WindowStoreIterator<Long> seen = acceptedIds.fetch(acceptedId, from, Long.MAX_VALUE)) {
            return seen.hasNext();
        }
    }

    private void rememberAccepted(final String acceptedId) {
        final long now = context.currentSystemTimeMs();
        acceptedIds.put(acceptedId, now, now);
    }

    private List<Promotion> activePromotions() {
        final List<Promotion> all = new ArrayList<>();
        try (KeyValueIterator<String, Promotion> iterator = promotions.all()) {
            iterator.forEachRemaining((KeyValue<String, Promotion> entry) -> all.add(entry.value));
        }
        return all;
    }

    private Account account(final String userId) {
        final Account account = accounts.get(userId);
        return account == null ? Account.NEW : account;
    }

    private void emitBalanceIfChanged(final Record<String, AccountEvent> record, final String userId,
            final Account before, final Account after) {
        if (before.balance() != after.balance() || !Objects.equals(before.pausedUntil(), after.pausedUntil())
                || before == Account.NEW) {
            emit(record, new BalanceUpdate(userId, after.balance(), after.pausedUntil()));
        }
    }

    private void emit(final Record<String, AccountEvent> record, final Object message) {
        context.forward(record.withValue(message));
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
