package io.loyaltylakehouse.load.oracle;

import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.load.legacy.LegacyOp;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * A plain, single-threaded replay of CONTRACT sections 4-6 over exactly what a run sent, in send order: each input
 * record is decided as edge-streams must decide it, each legacy statement changes a model of the legacy tables, and
 * {@link #truth} derives the per-user balances, ledger rows and audit counts the lakehouse must end with.
 *
 * <p>Assumptions the generator keeps true so that this replay is exact (see the module README):
 * records of one user are processed in send order within and across the purchase and redemption topics; stream time
 * is per partition number (task) and is the highest event time of the valid purchases and redemptions seen on it; a
 * promotion or withdrawal is known before the purchases it could affect are processed. Ids are global: an id accepted for
 * one user is, under another user, a duplicate that goes to the dead letters. A record dated ahead of the receiving
 * clock (within the future skew) does not move its partition's stream time past that clock, so it cannot make other
 * users' on-time purchases late. Its rules and numbers are its own copy of the contract ({@link Rules}).
 */
public final class GroundTruthOracle {
    /** Counters every truth lists, zero or not, so readers can rely on the keys. */
    private static final List<String> COUNTERS = List.of(
            "purchases_sent",
            "purchases_awarded",
            "purchases_paused",
            "duplicates_ignored",
            "late_events",
            "fraud_alerts",
            "redemptions_sent",
            "redemptions_accepted",
            "redemptions_rejected",
            "redemption_duplicates_ignored",
            "promotions_sent",
            "promotion_withdrawals",
            "dead_letters",
            "legacy_statements",
            "cross_user_duplicates",
            "bad_ids",
            "wrong_partition_records",
            "future_dated_records");

    private final Rules rules;
    private final TopicLayout layout;
    private final long[] streamTime;
    private final long[] purchaseStreamTime;
    private final Map<String, Promotion> promotions = new HashMap<>();
    /** Accepted ids and the user they were accepted for: ids are global (CONTRACT 4 rule 2). */
    private final Map<String, String> acceptedTransactions = new HashMap<>();

    private final Map<String, String> acceptedRedemptions = new HashMap<>();
    private final Map<String, UserLedger> users = new HashMap<>();
    /** Real-time ledger entries by business key: who and how many points (what Iceberg gets from edge-streams). */
    private final Map<String, RealtimeEntry> realtimeEntries = new HashMap<>();

    private final Map<String, Long> deadLetters = new TreeMap<>();
    private final Map<String, Long> totals = new TreeMap<>();
    private final List<FraudAlert> alerts = new ArrayList<>();
    private final Map<Long, String> memberUsers = new HashMap<>();
    private final Map<Long, LegacyRow> legacyRows = new LinkedHashMap<>();
    private final Set<Long> membersDeleted = new HashSet<>();
    private long membersUpdated;

    private record RealtimeEntry(String userId, long points) {}

    private static final class LegacyRow {
        private final long memberId;
        private final String sourceTxnRef;
        private long points;
        private boolean deleted;

        private LegacyRow(final long memberId, final String sourceTxnRef, final long points) {
            this.memberId = memberId;
            this.sourceTxnRef = sourceTxnRef;
            this.points = points;
        }
    }

    /** Everything the contract keeps per user on the real-time side. */
    private static final class UserLedger {
        private long balance;
        private Instant pausedUntil;
        private Instant lastAlertAt;
        private Instant lastPurchaseAt;
        private Instant lastRedemptionAt;
        private long entries;
        private long pausedEntries;
        private long withheldPoints;
        private long fraudAlerts;
        private long lateEvents;
        private long duplicatesIgnored;
        private long redemptionsAccepted;
        private long redemptionsRejected;
        /** Awarded points per open fraud window, keyed by window start (epoch ms). */
        private final TreeMap<Long, Long> windows = new TreeMap<>();
    }

    /** What the generator may ask about a user to keep its traffic inside the assumptions above. */
    public record UserView(
            long balance, Instant pausedUntil, Instant lastAlertAt, Instant lastPurchaseAt, Instant lastRedemptionAt) {}

    public GroundTruthOracle(final Rules rules, final TopicLayout layout) {
        this.rules = Objects.requireNonNull(rules, "rules is null");
        this.layout = Objects.requireNonNull(layout, "layout is null");
        this.streamTime = new long[layout.partitions()];
        this.purchaseStreamTime = new long[layout.partitions()];
        Arrays.fill(streamTime, Long.MIN_VALUE);
        Arrays.fill(purchaseStreamTime, Long.MIN_VALUE);
    }

    public TopicLayout layout() {
        return layout;
    }

    public Rules rules() {
        return rules;
    }

    /** A promotion already on the topic before the run (earlier runs, other tools): known, but not this run's. */
    public void preexistingPromotion(final String promoId, final byte[] value) {
        if (value == null) {
            promotions.remove(promoId);
            return;
        }
        final InputCheck.Checked<Promotion> checked = InputCheck.promotion(value);
        if (checked.valid()) {
            promotions.put(promoId, checked.value());
        }
    }

    /** Decides one record sent to the partition of its key, received when its own event time says. */
    public Outcome record(final String topic, final String key, final byte[] value) {
        return record(topic, key, null, value, null);
    }

    /**
     * Decides one record the run sends to one of its input topics; {@code value} null is a tombstone.
     *
     * @param partition  where it was produced; null = the default partitioner's choice for the key. Either way
     *                   the user's partition (by the payload's user_id) owns it.
     * @param receivedAt the receiving clock (the record's timestamp); null = the record's own event time (never ahead)
     */
    public Outcome record(
            final String topic,
            final String key,
            final Integer partition,
            final byte[] value,
            final Instant receivedAt) {
        if (topic.equals(layout.purchases())) {
            return purchase(key, partition, value, receivedAt);
        }
        if (topic.equals(layout.redemptions())) {
            return redemption(key, partition, value, receivedAt);
        }
        if (topic.equals(layout.promotions())) {
            return promotion(key, value);
        }
        throw new IllegalArgumentException("not an input topic of this run: " + topic);
    }

    private Outcome promotion(final String promoId, final byte[] value) {
        if (value == null) {
            count("promotion_withdrawals");
            promotions.remove(promoId);
            return Outcome.of(Outcome.Kind.WITHDRAWN);
        }
        count("promotions_sent");
        final InputCheck.Checked<Promotion> checked = InputCheck.promotion(value);
        if (!checked.valid()) {
            return deadLetter(layout.promotions(), checked.reason());
        }
        promotions.put(promoId, checked.value());
        return Outcome.of(Outcome.Kind.PROMOTION);
    }

    private Outcome purchase(final String key, final Integer partition, final byte[] value, final Instant receivedAt) {
        count("purchases_sent");
        final InputCheck.Checked<PurchaseEvent> checked = InputCheck.purchase(value);
        if (!checked.valid()) {
            return deadLetter(layout.purchases(), checked.reason());
        }
        final PurchaseEvent purchase = checked.value();
        final String tooFarAhead = tooFarAhead(purchase.eventTime(), receivedAt);
        if (tooFarAhead != null) {
            return deadLetter(layout.purchases(), tooFarAhead);
        }
        // Lateness is measured against the stream time of the partition the record sits on (CONTRACT 4.4), which
        // for a record sent to another partition than its user's is not the user's partition.
        final int task = inputPartition(key, partition);
        final long eventTime = purchase.eventTime().toEpochMilli();
        final boolean late = streamTime[task] != Long.MIN_VALUE
                && streamTime[task] - eventTime > rules.allowedLateness().toMillis();
        advanceStreamTime(task, eventTime, receivedAt);
        if (ownPartition(key, partition, purchase.userId())) {
            // the lower bound the planner plans late purchases against: only records where every reading agrees
            purchaseStreamTime[task] = Math.max(purchaseStreamTime[task], cap(eventTime, receivedAt));
        }
        if (!ownPartition(key, partition, purchase.userId())) {
            count("wrong_partition_records");
        }
        if (receivedAt != null && purchase.eventTime().isAfter(receivedAt)) {
            count("future_dated_records");
        }
        final String firstOwner = acceptedTransactions.get(purchase.transactionId());
        if (firstOwner != null && !firstOwner.equals(purchase.userId())) {
            count("cross_user_duplicates");
            return deadLetter(layout.purchases(), "transaction_id already accepted for another user");
        }
        final UserLedger user = users.computeIfAbsent(purchase.userId(), id -> new UserLedger());
        if (firstOwner != null) {
            // A replay earns nothing; like every refused id it goes to the .dlq with its reason (edge-streams README).
            count("duplicates_ignored");
            user.duplicatesIgnored++;
            deadLetters.merge(layout.purchases(), 1L, Long::sum);
            return Outcome.of(Outcome.Kind.DUPLICATE);
        }
        acceptedTransactions.put(purchase.transactionId(), purchase.userId());
        user.lastPurchaseAt = max(user.lastPurchaseAt, purchase.eventTime());
        final long points = purchase.amount().setScale(0, RoundingMode.FLOOR).longValueExact()
                * multiplierFor(purchase.storeId(), purchase.eventTime());
        user.entries++;
        if (late) {
            count("late_events");
            user.lateEvents++;
        }
        if (user.pausedUntil != null && purchase.eventTime().isBefore(user.pausedUntil)) {
            count("purchases_paused");
            user.pausedEntries++;
            user.withheldPoints += points;
            realtimeEntries.put(purchase.transactionId(), new RealtimeEntry(purchase.userId(), 0));
            return new Outcome(Outcome.Kind.PAUSED, 0, points, late, null, null);
        }
        count("purchases_awarded");
        user.balance += points;
        realtimeEntries.put(purchase.transactionId(), new RealtimeEntry(purchase.userId(), points));
        // A late purchase is awarded but its fraud window has closed: it cannot count toward it.
        final FraudAlert alert = late ? null : addToFraudWindow(task, purchase, points, user);
        return new Outcome(Outcome.Kind.AWARDED, points, 0, late, alert, null);
    }

    private FraudAlert addToFraudWindow(
            final int task, final PurchaseEvent purchase, final long points, final UserLedger user) {
        final long closedBefore = streamTime[task]
                - rules.allowedLateness().toMillis()
                - rules.fraudWindow().toMillis();
        user.windows.headMap(closedBefore).clear();
        final long windowStart = rules.windowStart(purchase.eventTime().toEpochMilli());
        final long before = user.windows.getOrDefault(windowStart, 0L);
        final long after = before + points;
        user.windows.put(windowStart, after);
        if (before > rules.fraudLimit() || after <= rules.fraudLimit()) {
            return null;
        }
        final Instant pausedUntil = purchase.eventTime().plus(rules.pause());
        final FraudAlert alert = new FraudAlert(
                purchase.userId(),
                Instant.ofEpochMilli(windowStart),
                Instant.ofEpochMilli(windowStart).plus(rules.fraudWindow()),
                after,
                purchase.transactionId(),
                pausedUntil);
        user.pausedUntil = pausedUntil;
        user.lastAlertAt = purchase.eventTime();
        user.fraudAlerts++;
        alerts.add(alert);
        count("fraud_alerts");
        return alert;
    }

    /** The partition a record was sent to: the explicit one, else the default partitioner's for its key. */
    private int inputPartition(final String key, final Integer partition) {
        return partition != null ? partition : layout.partitionOf(key);
    }

    private void advanceStreamTime(final int task, final long eventTime, final Instant receivedAt) {
        streamTime[task] = Math.max(streamTime[task], cap(eventTime, receivedAt));
    }

    /** A record dated ahead of its receiving clock moves stream time only up to a little past that clock. */
    private long cap(final long eventTime, final Instant receivedAt) {
        return receivedAt == null
                ? eventTime
                : Math.min(eventTime, receivedAt.plus(rules.streamTimeMaxLead()).toEpochMilli());
    }

    private boolean ownPartition(final String key, final Integer partition, final String userId) {
        return key.equals(userId) && (partition == null || partition == layout.partitionOf(userId));
    }

    /** CONTRACT 3: an event_time more than the skew ahead of the receiving clock is bad input. */
    private String tooFarAhead(final Instant eventTime, final Instant receivedAt) {
        return receivedAt != null && eventTime.isAfter(receivedAt.plus(rules.maxFutureSkew()))
                ? "event_time more than " + rules.maxFutureSkew() + " ahead"
                : null;
    }

    private int multiplierFor(final String storeId, final Instant eventTime) {
        return promotions.values().stream()
                .filter(promotion -> Rules.promotionApplies(
                        promotion.storeId(), promotion.startsAt(), promotion.endsAt(), storeId, eventTime))
                .mapToInt(Promotion::multiplier)
                .max()
                .orElse(1);
    }

    private Outcome redemption(
            final String key, final Integer partition, final byte[] value, final Instant receivedAt) {
        count("redemptions_sent");
        final InputCheck.Checked<RedemptionEvent> checked = InputCheck.redemption(value);
        if (!checked.valid()) {
            return deadLetter(layout.redemptions(), checked.reason());
        }
        final RedemptionEvent redemption = checked.value();
        final String tooFarAhead = tooFarAhead(redemption.eventTime(), receivedAt);
        if (tooFarAhead != null) {
            return deadLetter(layout.redemptions(), tooFarAhead);
        }
        final int task = inputPartition(key, partition);
        advanceStreamTime(task, redemption.eventTime().toEpochMilli(), receivedAt);
        final String firstOwner = acceptedRedemptions.get(redemption.redemptionId());
        if (firstOwner != null && !firstOwner.equals(redemption.userId())) {
            count("cross_user_duplicates");
            return deadLetter(layout.redemptions(), "redemption_id already accepted for another user");
        }
        final UserLedger user = users.computeIfAbsent(redemption.userId(), id -> new UserLedger());
        if (firstOwner != null) {
            count("redemption_duplicates_ignored");
            user.duplicatesIgnored++;
            deadLetters.merge(layout.redemptions(), 1L, Long::sum);
            return Outcome.of(Outcome.Kind.DUPLICATE);
        }
        user.lastRedemptionAt = max(user.lastRedemptionAt, redemption.eventTime());
        if (user.balance < redemption.points()) {
            count("redemptions_rejected");
            user.redemptionsRejected++;
            return new Outcome(Outcome.Kind.REJECTED, 0, 0, false, null, "insufficient balance");
        }
        acceptedRedemptions.put(redemption.redemptionId(), redemption.userId());
        count("redemptions_accepted");
        user.balance -= redemption.points();
        user.entries++;
        user.redemptionsAccepted++;
        realtimeEntries.put(redemption.redemptionId(), new RealtimeEntry(redemption.userId(), -redemption.points()));
        return new Outcome(Outcome.Kind.REDEEMED, -redemption.points(), 0, false, null, null);
    }

    /** Applies one statement the run executed on the legacy database. */
    public void legacy(final LegacyOp op) {
        count("legacy_statements");
        if (op instanceof LegacyOp.InsertMember member) {
            memberUsers.put(member.memberId(), Rules.legacyUserId(member.memberId(), member.newUserId()));
        } else if (op instanceof LegacyOp.UpdateMemberTier) {
            membersUpdated++;
        } else if (op instanceof LegacyOp.InsertTransaction txn) {
            legacyRows.put(txn.txnId(), new LegacyRow(txn.memberId(), txn.sourceTxnRef(), txn.points()));
        } else if (op instanceof LegacyOp.UpdateTransactionPoints update) {
            legacyRow(update.txnId()).points = update.points();
        } else if (op instanceof LegacyOp.DeleteTransaction delete) {
            legacyRow(delete.txnId()).deleted = true;
        } else if (op instanceof LegacyOp.DeleteMember member) {
            // one legacy transaction: the member's rows, then the member; the rows become VOID, still theirs
            legacyRows.values().stream()
                    .filter(row -> row.memberId == member.memberId())
                    .forEach(row -> row.deleted = true);
            membersDeleted.add(member.memberId());
        }
    }

    private LegacyRow legacyRow(final long txnId) {
        final LegacyRow row = legacyRows.get(txnId);
        if (row == null) {
            throw new IllegalArgumentException("legacy txn " + txnId + " was never inserted by this run");
        }
        return row;
    }

    public int partitionOf(final String userId) {
        return layout.partitionOf(userId);
    }

    /** Highest event time of valid purchases and redemptions on a partition (Long.MIN_VALUE before any). */
    public long streamTime(final int partition) {
        return streamTime[partition];
    }

    /** Highest event time of valid purchases alone on a partition: the lower bound of any reading of stream time. */
    public long purchaseStreamTime(final int partition) {
        return purchaseStreamTime[partition];
    }

    /** A user's real-time state, or null if the run has sent nothing valid for them yet. */
    public UserView user(final String userId) {
        final UserLedger user = users.get(userId);
        return user == null
                ? null
                : new UserView(
                        user.balance, user.pausedUntil, user.lastAlertAt, user.lastPurchaseAt, user.lastRedemptionAt);
    }

    /** The ground truth of everything decided so far. */
    public Truth truth(final Truth.Run run) {
        final Map<String, long[]> legacyByUser = new HashMap<>();
        final Map<String, Long> audit = new TreeMap<>();
        for (final String resolution : List.of("REALTIME_ONLY", "LEGACY_ONLY", "MERGED_DUPLICATE", "CONFLICT")) {
            audit.put(resolution, 0L);
        }
        final Set<String> dualKeys = new HashSet<>();
        long voidRows = 0;
        long legacyOnlyRows = 0;
        for (final Map.Entry<Long, LegacyRow> entry : legacyRows.entrySet()) {
            final LegacyRow row = entry.getValue();
            final String businessKey = Rules.legacyBusinessKey(entry.getKey(), row.sourceTxnRef);
            final RealtimeEntry realtime = realtimeEntries.get(businessKey);
            if (realtime != null) {
                if (row.deleted) {
                    continue; // the legacy copy is gone: the key is the real-time pipeline's alone again
                }
                // One row for the key; its points are the real-time pipeline's, a difference is audited.
                dualKeys.add(businessKey);
                audit.merge(realtime.points() == row.points ? "MERGED_DUPLICATE" : "CONFLICT", 1L, Long::sum);
                continue;
            }
            audit.merge("LEGACY_ONLY", 1L, Long::sum);
            legacyOnlyRows++;
            final String userId = memberUsers.getOrDefault(row.memberId, Rules.legacyUserId(row.memberId, null));
            final long[] legacy = legacyByUser.computeIfAbsent(userId, id -> new long[3]);
            legacy[0] += row.deleted ? 0 : row.points;
            legacy[1]++;
            if (row.deleted) {
                legacy[2]++;
                voidRows++;
            }
        }
        audit.merge("REALTIME_ONLY", (long) realtimeEntries.size() - dualKeys.size(), Long::sum);

        final Map<String, Truth.UserTruth> perUser = new TreeMap<>();
        final Set<String> allUsers = new HashSet<>(users.keySet());
        allUsers.addAll(legacyByUser.keySet());
        for (final String userId : allUsers) {
            final UserLedger user = users.getOrDefault(userId, new UserLedger());
            final long[] legacy = legacyByUser.getOrDefault(userId, new long[3]);
            perUser.put(
                    userId,
                    new Truth.UserTruth(
                            user.balance,
                            user.pausedUntil,
                            user.balance + legacy[0],
                            user.entries + legacy[1],
                            user.entries,
                            legacy[1],
                            legacy[2],
                            user.pausedEntries,
                            user.withheldPoints,
                            user.fraudAlerts,
                            user.lateEvents,
                            user.duplicatesIgnored,
                            user.redemptionsAccepted,
                            user.redemptionsRejected));
        }

        final Map<String, Long> summary = new TreeMap<>();
        for (final String counter : COUNTERS) {
            summary.put(counter, 0L);
        }
        summary.putAll(totals);
        summary.put("realtime_ledger_entries", (long) realtimeEntries.size());
        summary.put("ledger_rows", realtimeEntries.size() + legacyOnlyRows);
        summary.put("ledger_void_rows", voidRows);
        summary.put("legacy_members_inserted", (long) memberUsers.size());
        summary.put("legacy_members_deleted", (long) membersDeleted.size());
        summary.put("legacy_members_updated", membersUpdated);
        summary.put("legacy_transactions_inserted", (long) legacyRows.size());
        summary.put(
                "legacy_transactions_live",
                legacyRows.values().stream().filter(row -> !row.deleted).count());
        summary.put("users", (long) perUser.size());
        summary.put(
                "realtime_balance_total",
                perUser.values().stream()
                        .mapToLong(Truth.UserTruth::realtimeBalance)
                        .sum());
        summary.put(
                "ledger_balance_total",
                perUser.values().stream()
                        .mapToLong(Truth.UserTruth::ledgerBalance)
                        .sum());

        final Map<String, Long> dlq = new TreeMap<>();
        for (final String topic : List.of(layout.purchases(), layout.redemptions(), layout.promotions())) {
            dlq.put(Topics.deadLetterOf(topic), deadLetters.getOrDefault(topic, 0L));
        }
        return new Truth(run, summary, dlq, audit, List.copyOf(alerts), perUser);
    }

    private Outcome deadLetter(final String topic, final String reason) {
        if (InputCheck.isIdProblem(reason)) {
            count("bad_ids");
        }
        deadLetters.merge(topic, 1L, Long::sum);
        count("dead_letters");
        return Outcome.deadLetter(reason);
    }

    private void count(final String name) {
        totals.merge(name, 1L, Long::sum);
    }

    private static Instant max(final Instant current, final Instant candidate) {
        return current == null || candidate.isAfter(current) ? candidate : current;
    }
}
