package io.loyaltylakehouse.edge.ops;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.edge.model.Account;
import io.loyaltylakehouse.edge.processor.PointsAccrualProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The outstanding points liability (the sum of the real-time balances) and the users paused now, over the accounts
 * this instance holds: summed across instances in PromQL. One pass over the store, at most once per
 * {@link #MAX_AGE}, whatever the scrape rate.
 */
public final class AccountTotals {
    private static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final KafkaStreams streams;
    private final Clock clock;
    private Instant takenAt = Instant.EPOCH;
    private double liability = Double.NaN;
    private double pausedUsers = Double.NaN;

    public AccountTotals(final KafkaStreams streams, final Clock clock) {
        this.streams = requireNonNull(streams, "streams is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public AccountTotals register(final Metrics metrics) {
        metrics.gauge(
                "points_liability",
                "Outstanding points: the sum of the balances of this instance's users "
                        + "(NaN while its stores are not queryable)",
                () -> refreshed().liability);
        metrics.gauge(
                "users_paused",
                "Users paused by the fraud rule right now, of this instance's users",
                () -> refreshed().pausedUsers);
        return this;
    }

    private synchronized AccountTotals refreshed() {
        final Instant now = clock.instant();
        if (Duration.between(takenAt, now).compareTo(MAX_AGE) < 0) {
            return this;
        }
        takenAt = now;
        try {
            final ReadOnlyKeyValueStore<String, Account> accounts = streams.store(StoreQueryParameters.fromNameAndType(
                    PointsAccrualProcessor.ACCOUNTS_STORE, QueryableStoreTypes.<String, Account>keyValueStore()));
            long balance = 0;
            long paused = 0;
            try (KeyValueIterator<String, Account> all = accounts.all()) {
                while (all.hasNext()) {
                    final Account account = all.next().value;
                    balance += account.balance();
                    paused += account.pausedUntil() != null
                                    && account.pausedUntil().isAfter(now)
                            ? 1
                            : 0;
                }
            }
            liability = balance;
            pausedUsers = paused;
        } catch (final InvalidStateStoreException e) {
            liability = Double.NaN;
            pausedUsers = Double.NaN;
        }
        return this;
    }
}
