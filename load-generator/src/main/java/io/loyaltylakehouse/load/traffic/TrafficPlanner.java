package io.loyaltylakehouse.load.traffic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.load.legacy.LegacyOp;
import io.loyaltylakehouse.load.oracle.GroundTruthOracle;
import io.loyaltylakehouse.load.oracle.Outcome;
import io.loyaltylakehouse.load.oracle.Rules;
import io.loyaltylakehouse.load.oracle.TopicLayout;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns a {@link TrafficPlan} into a deterministic sequence of {@link Action}s on a simulated clock, feeding each one
 * to the {@link GroundTruthOracle} as it is planned, in the order it will be sent.
 *
 * <p>The oracle is exact only if the pipeline cannot decide a record differently because of timing, so the planner
 * steers away from every case whose outcome depends on it (module README, "What the ground truth assumes"):
 * out-of-order purchases stay within 3 minutes of the clock, late ones are 20-60 minutes behind their partition's
 * stream time (their fraud window long closed) and never for a user with a pause reaching past them; a user's purchases
 * and redemptions are at least five minutes of event time apart, and no purchase is earlier than the user's last
 * redemption or fraud alert; redemptions are clearly covered (< 50% of the balance) or clearly not (> 200%); duplicates repeat only
 * recent, awarded, on-time purchases and accepted redemptions.
 */
public final class TrafficPlanner {
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60 * SECOND;
    private static final int RECENT = 256;
    /** How many events' worth of spacing the clock drifts from its planned line before gaps double or shrink 4-fold. */
    private static final int STEERING_EVENTS = 50;
    /**
     * The future-dated purchase goes this many events before the end: there the simulated clock is closest to the
     * wall clock (the run ends about now), so the record is really ahead of the receiving clock, and the events
     * after it show that on-time purchases stay on time.
     */
    private static final int FUTURE_DATED_BEFORE_END = 30;
    /** Promotions when none are configured stay few: each applies to every purchase it covers. */
    private static final int MAX_DEFAULT_PROMOTIONS = 40;
    /** Each promotion sent during the run costs a settle pause of wall-clock time. */
    private static final int MAX_DURING_RUN = 8;
    /**
     * Simulated time between a user's purchase and redemption, either way round: the earlier record is then almost
     * always acknowledged before the later one is sent, so the runner rarely has to wait for it.
     */
    private static final long ORDERING_GAP = 5 * MINUTE;

    private static final String[] TIERS = {"BRONZE", "SILVER", "GOLD", "PLATINUM"};
    private static final String[] NAMES = {
        "Ada",
        "Grace",
        "Alan",
        "Edsger",
        "Barbara",
        "Donald",
        "Frances",
        "Ken",
        "Margaret",
        "Dennis",
        "Radia",
        "Leslie",
        "Shafi",
        "Tim",
        "Hedy",
        "Niklaus"
    };

    private final TrafficPlan plan;
    private final GroundTruthOracle oracle;
    private final TopicLayout topics;
    private final Rules rules;
    private final Random random;
    private final Zipf popularity;
    private final Deque<Action.Send> opening = new ArrayDeque<>();
    private final PriorityQueue<Scheduled> scheduled =
            new PriorityQueue<>(Comparator.comparingLong(Scheduled::time).thenComparingLong(Scheduled::sequence));
    private final Deque<Recent> recentPurchases = new ArrayDeque<>();
    private final Deque<Recent> recentRedemptions = new ArrayDeque<>();
    private final List<Member> members = new ArrayList<>();
    private final Map<String, Member> memberOfUser = new HashMap<>();
    private final List<LegacyRow> correctableRows = new ArrayList<>();
    private final Set<String> usersInBurst = new HashSet<>();
    private byte[] firstWrongPartition;
    /**
     * Simulated time between a planted case's retries or steps: a minute, less in a run squeezed behind earlier runs
     * (Timeline), which may span only a minute or two and must still have every planted case.
     */
    private final long edgeCaseStep;

    private long clock;
    private long planned;
    private long scheduleSequence;
    private long transactionSequence;
    private long redemptionSequence;
    private long badSequence;
    private long nextMemberId;
    private long nextTxnId;

    private record Scheduled(long time, long sequence, Supplier<Action> action) {}

    /** A record that may be sent again as a duplicate. */
    private record Recent(String key, byte[] value, long eventTime) {}

    /** A record read back only to reuse its id (the planner's own bytes, so always well-formed). */
    private static final com.fasterxml.jackson.databind.ObjectReader READER = Json.MAPPER.reader();

    private static final class Member {
        private final long memberId;
        private final boolean mapped;
        private long legacyPoints;
        private int transactions;

        private Member(final long memberId, final boolean mapped) {
            this.memberId = memberId;
            this.mapped = mapped;
        }
    }

    /** A legacy-only row the legacy application may still correct or delete. */
    private static final class LegacyRow {
        private final long txnId;
        private final Member member;
        private final String txnType;
        private int points;

        private LegacyRow(final long txnId, final Member member, final String txnType, final int points) {
            this.txnId = txnId;
            this.member = member;
            this.txnType = txnType;
            this.points = points;
        }
    }

    public TrafficPlanner(final TrafficPlan plan, final GroundTruthOracle oracle) {
        this.plan = Objects.requireNonNull(plan, "plan is null");
        this.oracle = Objects.requireNonNull(oracle, "oracle is null");
        this.topics = oracle.layout();
        this.rules = oracle.rules();
        this.random = new Random(plan.seed());
        this.popularity = new Zipf(plan.users(), plan.zipfExponent());
        this.clock = plan.start().toEpochMilli();
        this.nextMemberId = plan.memberIdBase();
        this.nextTxnId = plan.txnIdBase();
        this.edgeCaseStep =
                Math.max(SECOND, Math.min(MINUTE, plan.events() * plan.spacing().toMillis() / 40));
        if (plan.realtime()) {
            planPromotions();
            planEdgeCases();
        }
        if (plan.legacy()) {
            schedule(at(0.7), this::closeLegacyAccount);
        }
    }

    public boolean hasNext() {
        return planned < plan.events();
    }

    /** Events planned so far. */
    public long planned() {
        return planned;
    }

    /** The next legacy txn_id the run would use: the run used those below it (from the plan's base). */
    public long nextTxnId() {
        return nextTxnId;
    }

    /** The simulated clock: the latest event time planned so far. */
    public Instant clock() {
        return Instant.ofEpochMilli(clock);
    }

    public Action next() {
        if (!hasNext()) {
            throw new IllegalStateException("all " + plan.events() + " events are planned");
        }
        if (!opening.isEmpty()) {
            planned++;
            final Action.Send send = opening.poll();
            oracle.record(send.topic(), send.key(), send.value());
            return send;
        }
        Action action = plan.realtime() && plan.futureDated() && planned == plan.events() - FUTURE_DATED_BEFORE_END
                ? futureDated()
                : null;
        while (action == null) {
            action = step();
        }
        planned++;
        return action;
    }

    private Action step() {
        final long next = clock + gap();
        final Scheduled due = scheduled.peek();
        if (due != null && due.time() <= next) {
            scheduled.poll();
            clock = Math.max(clock, due.time());
            return due.action().get();
        }
        clock = next;
        return randomAction();
    }

    /**
     * Exponential gaps around the spacing, steered toward start + planned x spacing: steps that plan nothing still
     * move the clock, and a run drifting past its planned end would pass the wall clock, where its last records
     * wait for it (Timeline lets the run end about now).
     */
    private long gap() {
        final double spacing = plan.spacing().toMillis();
        final double behind = (plan.start().toEpochMilli() + planned * spacing - clock) / (STEERING_EVENTS * spacing);
        final double mean = spacing * Math.min(2, Math.max(0.25, 1 + behind));
        return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * mean));
    }

    private Action randomAction() {
        final TrafficMix mix = plan.mix();
        final double realtime = plan.realtime() ? 1 : 0;
        final double legacy = plan.legacy() ? mix.legacy() : 0;
        final double[] weights = {
            realtime * mix.purchase(), realtime * mix.late(), realtime * mix.duplicate(),
            realtime * mix.redemption(), realtime * mix.redemptionDuplicate(), realtime * mix.badRecord(),
            realtime * mix.fraudBurst(), legacy
        };
        double pick = random.nextDouble() * sum(weights);
        int kind = 0;
        while (kind < weights.length - 1 && pick >= weights[kind]) {
            pick -= weights[kind];
            kind++;
        }
        return switch (kind) {
            case 0 -> purchase();
            case 1 -> latePurchase();
            case 2 -> duplicatePurchase();
            case 3 -> redemption();
            case 4 -> duplicateRedemption();
            case 5 -> badRecord();
            case 6 -> fraudBurst();
            default -> legacyActivity();
        };
    }

    // ---- purchases ----------------------------------------------------------------------------------------------

    private Action purchase() {
        final String user = pickUser();
        long eventTime = clock;
        if (random.nextDouble() < plan.mix().outOfOrder()) {
            eventTime = clock - SECOND - random.nextLong(3 * MINUTE - SECOND);
            if (!mayPurchaseAt(user, eventTime)) {
                eventTime = clock;
            }
        }
        return mayPurchaseAt(user, eventTime) ? purchase(user, storeOf(user), amount(), eventTime) : null;
    }

    private Action latePurchase() {
        for (int attempt = 0; attempt < 4; attempt++) {
            final String user = pickUser();
            final long streamTime = oracle.purchaseStreamTime(oracle.partitionOf(user));
            final long eventTime = clock - 20 * MINUTE - random.nextLong(40 * MINUTE);
            if (clearlyLate(streamTime, eventTime)
                    && notPausedAround(user, eventTime)
                    && mayPurchaseAt(user, eventTime)) {
                return purchase(user, storeOf(user), amount(), eventTime);
            }
        }
        return null;
    }

    /** Late under any reading of stream time, and its fraud window closed even with a grace of the allowed lateness. */
    private boolean clearlyLate(final long streamTime, final long eventTime) {
        if (streamTime == Long.MIN_VALUE) {
            return false;
        }
        final long margin = MINUTE;
        final long lateness = rules.allowedLateness().toMillis();
        final long windowEnd =
                rules.windowStart(eventTime) + rules.fraudWindow().toMillis();
        return streamTime - eventTime > lateness + margin && streamTime >= windowEnd + lateness + margin;
    }

    /** A late purchase must not meet a pause: implementations differ on pauses that began after its event time. */
    private boolean notPausedAround(final String user, final long eventTime) {
        final GroundTruthOracle.UserView view = oracle.user(user);
        return view == null || view.pausedUntil() == null || view.pausedUntil().toEpochMilli() <= eventTime;
    }

    /** No purchase of a user is earlier than the user's last redemption (ordering) or last fraud alert (pause). */
    private boolean mayPurchaseAt(final String user, final long eventTime) {
        final GroundTruthOracle.UserView view = oracle.user(user);
        if (view == null) {
            return true;
        }
        final boolean afterRedemption = view.lastRedemptionAt() == null
                || eventTime > view.lastRedemptionAt().toEpochMilli() + ORDERING_GAP;
        final boolean afterAlert =
                view.lastAlertAt() == null || eventTime >= view.lastAlertAt().toEpochMilli();
        return afterRedemption && afterAlert;
    }

    private Action purchase(final String user, final String store, final BigDecimal amount, final long eventTime) {
        final String transactionId = "t-" + plan.runId() + "-" + (++transactionSequence);
        final PurchaseEvent purchase =
                new PurchaseEvent(transactionId, user, amount, "USD", store, Instant.ofEpochMilli(eventTime));
        final byte[] value =
                random.nextDouble() < 0.2 ? withAmountAsString(purchase) : Topics.PURCHASE_EVENTS.valueBytes(purchase);
        final Action.Send send = new Action.Send(
                topics.purchases(), user, null, value, Action.Kind.PURCHASE, now(), transactionId, null);
        final Outcome outcome = decide(send);
        if (outcome.kind() == Outcome.Kind.AWARDED && !outcome.late()) {
            remember(recentPurchases, new Recent(user, value, eventTime));
            if (plan.legacy() && random.nextDouble() < plan.mix().dualShare()) {
                scheduleDualRecord(user, purchase, outcome.points());
            }
        }
        return send;
    }

    /** The contract allows the amount as a decimal string too. */
    private static byte[] withAmountAsString(final PurchaseEvent purchase) {
        final ObjectNode node = Json.MAPPER.valueToTree(purchase);
        node.put("amount", purchase.amount().toPlainString());
        return Json.toBytes(node);
    }

    private Action duplicatePurchase() {
        final Recent original = pickRecent(recentPurchases);
        return original == null ? null : resend(topics.purchases(), original, Action.Kind.PURCHASE);
    }

    private Action resend(final String topic, final Recent original, final Action.Kind kind) {
        final Action.Send send =
                new Action.Send(topic, original.key(), null, original.value(), kind, now(), null, null);
        decide(send);
        return send;
    }

    /** A recent record from the last 5 minutes of simulated time, or null. */
    private Recent pickRecent(final Deque<Recent> recent) {
        if (recent.isEmpty()) {
            return null;
        }
        final Recent candidate = new ArrayList<>(recent).get(random.nextInt(recent.size()));
        return candidate.eventTime() >= clock - 5 * MINUTE ? candidate : null;
    }

    private static void remember(final Deque<Recent> recent, final Recent record) {
        recent.addLast(record);
        if (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    /**
     * A user spending well over the fraud limit within one window (starting just after the next window boundary),
     * then shopping on during the pause.
     */
    private Action fraudBurst() {
        final String user = pickUser();
        final GroundTruthOracle.UserView view = oracle.user(user);
        if (!usersInBurst.add(user)
                || view != null
                        && view.pausedUntil() != null
                        && view.pausedUntil().toEpochMilli() > clock) {
            return null;
        }
        final String store = storeOf(user);
        final long windowStart = rules.windowStart(clock) + rules.fraudWindow().toMillis();
        long at = windowStart + 2 * SECOND + random.nextLong(10 * SECOND);
        for (int i = 0; i < 6; i++) {
            final BigDecimal amount = BigDecimal.valueOf(20_000 + random.nextInt(22_000), 2);
            scheduleScheduledPurchase(at, user, store, amount);
            at += 10 * SECOND + random.nextLong(25 * SECOND);
        }
        final int duringPause = 2 + random.nextInt(3);
        for (int i = 0; i < duringPause; i++) {
            scheduleScheduledPurchase(windowStart + 6 * MINUTE + random.nextLong(50 * MINUTE), user, store, amount());
        }
        schedule(windowStart + 57 * MINUTE, () -> {
            usersInBurst.remove(user);
            return null;
        });
        return null;
    }

    private void scheduleScheduledPurchase(
            final long at, final String user, final String store, final BigDecimal amount) {
        schedule(at, () -> mayPurchaseAt(user, at) ? purchase(user, store, amount, at) : null);
    }

    // ---- redemptions --------------------------------------------------------------------------------------------

    private Action redemption() {
        for (int attempt = 0; attempt < 4; attempt++) {
            final String user = pickUser();
            final GroundTruthOracle.UserView view = oracle.user(user);
            if (view != null
                    && view.lastPurchaseAt() != null
                    && view.lastPurchaseAt().toEpochMilli() > clock - ORDERING_GAP) {
                continue;
            }
            final long balance = view == null ? 0 : view.balance();
            final boolean over =
                    balance < 20 || random.nextDouble() < plan.mix().redemptionOverBalance();
            final long points = over ? overBalance(balance) : underBalance(balance);
            final String redemptionId = "r-" + plan.runId() + "-" + (++redemptionSequence);
            final byte[] value = Topics.REDEMPTION_EVENTS.valueBytes(
                    new RedemptionEvent(redemptionId, user, points, Instant.ofEpochMilli(clock)));
            final Action.Send send = new Action.Send(
                    topics.redemptions(), user, null, value, Action.Kind.REDEMPTION, now(), redemptionId, null);
            if (decide(send).kind() == Outcome.Kind.REDEEMED) {
                remember(recentRedemptions, new Recent(user, value, clock));
            }
            return send;
        }
        return null;
    }

    /** Between 10% and 50% of the balance, in tens. */
    private long underBalance(final long balance) {
        final long points = (long) (balance * (0.1 + 0.4 * random.nextDouble())) / 10 * 10;
        return Math.max(10, points);
    }

    /** More than twice the balance, in fifties (a round 100/250/500 for an empty account). */
    private long overBalance(final long balance) {
        if (balance == 0) {
            return new long[] {100, 250, 500}[random.nextInt(3)];
        }
        final long points = (long) Math.ceil(balance * (2.05 + 2 * random.nextDouble()) / 50.0) * 50;
        return Math.max(points, 2 * balance + 50);
    }

    private Action duplicateRedemption() {
        final Recent original = pickRecent(recentRedemptions);
        return original == null ? null : resend(topics.redemptions(), original, Action.Kind.REDEMPTION);
    }

    // ---- bad records --------------------------------------------------------------------------------------------

    private Action badRecord() {
        final String user = pickUser();
        final String id = plan.runId() + "-bad-" + (++badSequence);
        final String time = Instant.ofEpochMilli(clock).toString();
        final boolean purchase = random.nextDouble() < 0.65;
        // event_time comes first and stays readable even in the malformed ones, so a timestamp extractor that
        // reads it never falls back to the wall clock for this run's records.
        final String head = "{\"event_time\":\"" + time + "\",\"user_id\":\"" + user + "\",";
        final String json;
        if (purchase) {
            final String purchaseHead = head + "\"transaction_id\":\"t-" + id + "\",\"store_id\":\"s-1\",";
            json = switch (random.nextInt(6)) {
                case 0 -> purchaseHead + "\"amount\":\"12.50\",\"currency\":\"USD\"";
                case 1 -> purchaseHead + "\"amount\":\"12.345\",\"currency\":\"USD\"}";
                case 2 -> purchaseHead + "\"amount\":-5.00,\"currency\":\"USD\"}";
                case 3 -> purchaseHead + "\"amount\":\"1000000.01\",\"currency\":\"USD\"}";
                case 4 -> purchaseHead + "\"amount\":\"40.00\",\"currency\":\"EUR\"}";
                default ->
                    head + "\"note\":\"t-" + id + "\",\"store_id\":\"s-1\",\"amount\":\"9.99\",\"currency\":\"USD\"}";
            };
        } else {
            json = switch (random.nextInt(3)) {
                case 0 -> head + "\"redemption_id\":\"r-" + id + "\",\"points\":";
                case 1 -> head + "\"points\":100,\"note\":\"r-" + id + "\"}";
                default -> head + "\"redemption_id\":\"r-" + id + "\",\"points\":\"lots\"}";
            };
        }
        final String topic = purchase ? topics.purchases() : topics.redemptions();
        return bad(topic, user, json.getBytes(StandardCharsets.UTF_8));
    }

    // ---- planted edge cases (issue 9): each once per run, with a truth that follows the contract ----------------

    /**
     * Ids reused across users, ids with white space, one user's purchases on partitions the default partitioner
     * would not choose, a record dated ahead of the clock (near the end, where the simulated clock is closest to the
     * wall clock: {@link #FUTURE_DATED_BEFORE_END}), and hostile records. Each happens at a fixed share of the run so
     * even a short run has them all.
     */
    private void planEdgeCases() {
        // the future-dated purchase is planted by count, near the end (see next())
        schedule(at(0.15), this::hostileRecords);
        schedule(at(0.3), this::reuseTransactionId);
        schedule(at(0.35), this::reuseRedemptionId);
        schedule(at(0.4), this::whiteSpaceIds);
        schedule(at(0.5), () -> wrongPartitions(0));
        schedule(at(0.6), this::reuseTransactionId);
    }

    /**
     * A transaction_id already accepted for one user, sent under another (the first user's purchase is consumed
     * first): a duplicate under any user, so a dead letter; nothing of the first entry changes.
     */
    private Action reuseTransactionId() {
        final Recent original = pickRecent(recentPurchases);
        final String other = pickUser();
        if (original == null || other.equals(original.key())) {
            schedule(clock + edgeCaseStep, this::reuseTransactionId);
            return null;
        }
        final ObjectNode node = readObject(original.value());
        final String transactionId = node.get("transaction_id").asText();
        node.put("user_id", other);
        node.put("event_time", now().toString());
        node.put("amount", "17.00");
        final Action.Send send = new Action.Send(
                topics.purchases(), other, null, Json.toBytes(node), Action.Kind.PURCHASE, now(), null, transactionId);
        decide(send);
        return send;
    }

    /** A redemption_id already accepted for one user, sent under another: a dead letter too. */
    private Action reuseRedemptionId() {
        final Recent original = pickRecent(recentRedemptions);
        final String other = pickUser();
        if (original == null || other.equals(original.key())) {
            schedule(clock + edgeCaseStep, this::reuseRedemptionId);
            return null;
        }
        final ObjectNode node = readObject(original.value());
        final String redemptionId = node.get("redemption_id").asText();
        node.put("user_id", other);
        node.put("event_time", now().toString());
        node.put("points", 10);
        final Action.Send send = new Action.Send(
                topics.redemptions(),
                other,
                null,
                Json.toBytes(node),
                Action.Kind.REDEMPTION,
                now(),
                null,
                redemptionId);
        decide(send);
        return send;
    }

    /**
     * {@code "t-1 "} next to an accepted {@code t-1}, a fresh id with a leading tab, a user_id with a trailing space:
     * bad input (CONTRACT 3), so {@code t-1} and {@code t-1 } can never both earn.
     */
    private Action whiteSpaceIds() {
        final Recent original = pickRecent(recentPurchases);
        if (original == null) {
            schedule(clock + edgeCaseStep, this::whiteSpaceIds);
            return null;
        }
        final ObjectNode padded = readObject(original.value());
        padded.put("transaction_id", padded.get("transaction_id").asText() + " ");
        padded.put("event_time", now().toString());
        final String user = pickUser();
        final PurchaseEvent tabbed = new PurchaseEvent(
                "\tt-" + plan.runId() + "-ws-" + (++badSequence), user, new BigDecimal("12.00"), "USD", "s-1", now());
        final PurchaseEvent spacedUser = new PurchaseEvent(
                "t-" + plan.runId() + "-ws-" + (++badSequence),
                user + " ",
                new BigDecimal("13.00"),
                "USD",
                "s-1",
                now());
        schedule(clock + SECOND, () -> bad(topics.purchases(), user, Json.toBytes(tabbed)));
        schedule(clock + 2 * SECOND, () -> bad(topics.purchases(), user + " ", Json.toBytes(spacedUser)));
        return bad(topics.purchases(), original.key(), Json.toBytes(padded));
    }

    /**
     * One user's purchases produced explicitly to partitions the default partitioner would not choose (another
     * client's partitioner), one of them twice on two partitions: one balance, and the copy earns nothing. Small
     * amounts keep the user far from the fraud limit, and the user never redeems, so no order between them matters.
     */
    private Action wrongPartitions(final int step) {
        final String user = "u-" + plan.runId() + "-wp";
        final int owner = topics.partitionOf(user);
        final int partitions = topics.partitions();
        final int partition = (owner + 1 + step % Math.max(1, partitions - 1)) % partitions;
        if (step < 4) {
            schedule(clock + edgeCaseStep / 3, () -> wrongPartitions(step + 1));
        }
        if (step == 4) {
            return sendTo(firstWrongPartition, user, (owner + partitions - 1) % partitions);
        }
        final String transactionId = "t-" + plan.runId() + "-" + (++transactionSequence);
        final PurchaseEvent purchase = new PurchaseEvent(
                transactionId, user, BigDecimal.valueOf(500 + random.nextInt(3_500), 2), "USD", storeOf(user), now());
        final byte[] value = Topics.PURCHASE_EVENTS.valueBytes(purchase);
        if (step == 0) {
            firstWrongPartition = value;
        }
        return sendTo(value, user, step == 2 ? owner : partition);
    }

    private Action.Send sendTo(final byte[] value, final String user, final int partition) {
        final Action.Send send =
                new Action.Send(topics.purchases(), user, partition, value, Action.Kind.PURCHASE, now(), null, null);
        decide(send);
        return send;
    }

    /**
     * A purchase dated 40 minutes ahead of the clock (inside the 1 h skew), for a user of its own: it is awarded,
     * and must not make the on-time purchases after it on its partition late.
     */
    private Action futureDated() {
        final String user = "u-" + plan.runId() + "-future";
        final PurchaseEvent purchase = new PurchaseEvent(
                "t-" + plan.runId() + "-" + (++transactionSequence),
                user,
                new BigDecimal("21.00"),
                "USD",
                storeOf(user),
                now().plus(java.time.Duration.ofMinutes(40)));
        final Action.Send send = new Action.Send(
                topics.purchases(),
                user,
                null,
                Topics.PURCHASE_EVENTS.valueBytes(purchase),
                Action.Kind.PURCHASE,
                now(),
                purchase.transactionId(),
                null);
        decide(send);
        return send;
    }

    /**
     * The hostile-input corpus in small: NUL and broken UTF-8 in ids, a JSON array, {@code 1e400}, an event time
     * centuries ahead, 20,000 levels of nesting, a 300 KB user_id, redemptions with 20-digit and negative points, a
     * promotion with a multiplier of {@code 1e9}. Each starts with the run id (dead letters keep the first 8 KiB).
     */
    private Action hostileRecords() {
        final String id = plan.runId() + "-hostile-";
        final String user = pickUser();
        final String time = now().toString();
        final List<byte[]> purchases = new ArrayList<>();
        purchases.add(utf8("{\"transaction_id\":\"t-" + id + "nul\\u0000\",\"user_id\":\"" + user
                + "\",\"amount\":\"5.00\",\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}"));
        final byte[] brokenUtf8 = utf8("{\"transaction_id\":\"t-" + id + "utf8-XX\",\"user_id\":\"" + user
                + "\",\"amount\":\"5.00\",\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}");
        final int broken = new String(brokenUtf8, StandardCharsets.UTF_8).indexOf("XX");
        brokenUtf8[broken] = (byte) 0xC3;
        brokenUtf8[broken + 1] = (byte) 0x28;
        purchases.add(brokenUtf8);
        purchases.add(utf8("[{\"transaction_id\":\"t-" + id + "array\",\"user_id\":\"" + user
                + "\",\"amount\":\"5.00\",\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"" + time
                + "\"}]"));
        purchases.add(utf8("{\"transaction_id\":\"t-" + id + "huge\",\"user_id\":\"" + user
                + "\",\"amount\":1e400,\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}"));
        purchases.add(
                utf8(
                        "{\"transaction_id\":\"t-" + id + "future\",\"user_id\":\"" + user
                                + "\",\"amount\":\"5.00\",\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"2999-01-01T00:00:00Z\"}"));
        purchases.add(utf8("{\"note\":\"t-" + id + "deep\",\"user_id\":\"" + user + "\",\"nested\":"
                + "[".repeat(20_000) + "]".repeat(20_000) + "}"));
        purchases.add(utf8("{\"transaction_id\":\"t-" + id + "long-user\",\"amount\":\"5.00\",\"currency\":\"USD\","
                + "\"store_id\":\"s-1\",\"event_time\":\"" + time + "\",\"user_id\":\"" + "u".repeat(300_000) + "\"}"));
        for (int i = 0; i < purchases.size(); i++) {
            final byte[] value = purchases.get(i);
            schedule(clock + (i + 1) * SECOND, () -> bad(topics.purchases(), user, value));
        }
        for (final String points : List.of("99999999999999999999", "-500")) {
            final byte[] value = utf8("{\"redemption_id\":\"r-" + id + "points" + points.length() + "\",\"user_id\":\""
                    + user + "\",\"points\":" + points + ",\"event_time\":\"" + time + "\"}");
            schedule(clock + 10 * SECOND + points.length(), () -> bad(topics.redemptions(), user, value));
        }
        final String promoId = "p-" + id + "multiplier";
        return bad(
                topics.promotions(),
                promoId,
                utf8(
                        "{\"promo_id\":\"" + promoId + "\",\"multiplier\":1e9,"
                                + "\"store_id\":null,\"starts_at\":\"2001-01-01T00:00:00Z\",\"ends_at\":\"2001-01-02T00:00:00Z\"}"));
    }

    private static byte[] utf8(final String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode readObject(final byte[] value) {
        try {
            return (ObjectNode) READER.readTree(value);
        } catch (final java.io.IOException e) {
            throw new IllegalStateException("the planner's own record does not parse", e);
        }
    }

    // ---- promotions ---------------------------------------------------------------------------------------------

    /**
     * Promotions go first, then a settle pause: a purchase can only get a promotion edge-streams already knows.
     * Some that start later in the run are announced during it instead (10-30 minutes of event time ahead, each
     * followed by a settle pause), some are withdrawn: at once, or during the run before they start. Purchases
     * exactly at the start and the end of those that stay test the boundaries.
     */
    private void planPromotions() {
        final TrafficMix mix = plan.mix();
        final long span = Math.max(MINUTE, plan.events() * plan.spacing().toMillis());
        final int count = mix.promotions() > 0
                ? mix.promotions()
                : (int) Math.max(3, Math.min(MAX_DEFAULT_PROMOTIONS, plan.events() / 2000));
        int sentDuringRun = 0;
        for (int i = 1; i <= count; i++) {
            final String promoId = "p-" + plan.runId() + "-" + i;
            final boolean global = random.nextDouble() < mix.promotionsGlobal();
            final String store = global ? null : store(1 + random.nextInt(plan.stores()));
            final int multiplier = global ? 2 : 2 + random.nextInt(4);
            final long startsAt = clock + random.nextLong(Math.max(1, span * 9 / 10));
            final long endsAt =
                    startsAt + (global ? 10 : 20) * MINUTE + random.nextLong(global ? 50 * MINUTE : 100 * MINUTE);
            final Promotion promotion = new Promotion(
                    promoId, multiplier, store, Instant.ofEpochMilli(startsAt), Instant.ofEpochMilli(endsAt));
            final Action.Send announce = new Action.Send(
                    topics.promotions(), promoId, Topics.PROMOTIONS.valueBytes(promotion), Action.Kind.PROMOTION);
            final boolean startsLater = startsAt - plan.start().toEpochMilli() >= 30 * MINUTE;
            final long ahead = 10 * MINUTE + random.nextLong(20 * MINUTE);
            final boolean duringRun = startsLater && random.nextBoolean() && sentDuringRun < MAX_DURING_RUN;
            if (duringRun) {
                sentDuringRun++;
            }
            if (random.nextDouble() < mix.promotionsWithdrawn()) {
                opening.add(announce);
                final Action.Send withdraw =
                        new Action.Send(topics.promotions(), promoId, null, Action.Kind.WITHDRAWAL);
                if (duringRun) {
                    schedule(startsAt - ahead, () -> promotionDuringRun(withdraw));
                } else {
                    opening.add(withdraw);
                }
                continue;
            }
            if (duringRun) {
                schedule(startsAt - ahead, () -> promotionDuringRun(announce));
            } else {
                opening.add(announce);
            }
            final String boundaryStore = store != null ? store : store(1 + random.nextInt(plan.stores()));
            scheduleScheduledPurchase(startsAt, pickUser(), boundaryStore, amount());
            scheduleScheduledPurchase(endsAt, pickUser(), boundaryStore, amount());
        }
        for (int i = 1; i <= mix.promotionsBad(); i++) {
            final String promoId = "p-" + plan.runId() + "-bad-" + i;
            final String json = "{\"promo_id\":\"" + promoId + "\",\"multiplier\":\"double\",\"store_id\":null,"
                    + "\"starts_at\":\"" + Instant.ofEpochMilli(clock) + "\"";
            opening.add(new Action.Send(
                    topics.promotions(), promoId, json.getBytes(StandardCharsets.UTF_8), Action.Kind.BAD_RECORD));
        }
    }

    /** A promotion or withdrawal sent during the run (the run waits until edge-streams applied it). */
    private Action promotionDuringRun(final Action.Send send) {
        oracle.record(send.topic(), send.key(), send.value());
        return send;
    }

    // ---- legacy database ----------------------------------------------------------------------------------------

    private Action legacyActivity() {
        final double pick = random.nextDouble();
        if (members.isEmpty() || pick < 0.10) {
            return legacy(insertMember(null));
        }
        if (pick < 0.18 && plan.realtime()) {
            final String user = pickUser();
            return memberOfUser.containsKey(user) ? legacyTransaction() : legacy(insertMember(user));
        }
        if (pick < 0.65) {
            return legacyTransaction();
        }
        if (pick < 0.78) {
            return correction();
        }
        if (pick < 0.90) {
            return deletion();
        }
        final Member member = members.get(random.nextInt(members.size()));
        return legacy(new LegacyOp.UpdateMemberTier(member.memberId, TIERS[random.nextInt(TIERS.length)], now()));
    }

    private LegacyOp.InsertMember insertMember(final String newUserId) {
        final Member member = new Member(nextMemberId++, newUserId != null);
        members.add(member);
        if (newUserId != null) {
            memberOfUser.put(newUserId, member);
        }
        final String name = NAMES[random.nextInt(NAMES.length)] + " " + NAMES[random.nextInt(NAMES.length)] + "son";
        return new LegacyOp.InsertMember(
                member.memberId,
                "member" + member.memberId + "@example.com",
                name,
                TIERS[random.nextInt(TIERS.length)],
                newUserId,
                now());
    }

    /** EARN mostly, some ADJUST, and REDEEM only from what the member has so its legacy balance stays >= 0. */
    private Action legacyTransaction() {
        final Member member = members.get(random.nextInt(members.size()));
        final double kind = random.nextDouble();
        final LegacyRow row;
        final BigDecimal amount;
        if (kind < 0.15 && member.legacyPoints >= 50) {
            final int points = -(int) Math.max(1, member.legacyPoints * (0.1 + 0.4 * random.nextDouble()));
            row = new LegacyRow(nextTxnId++, member, "REDEEM", points);
            amount = null;
        } else if (kind < 0.30) {
            row = new LegacyRow(nextTxnId++, member, "ADJUST", 5 + random.nextInt(96));
            amount = null;
        } else {
            amount = amount();
            row = new LegacyRow(
                    nextTxnId++,
                    member,
                    "EARN",
                    amount.setScale(0, RoundingMode.FLOOR).intValueExact());
        }
        member.legacyPoints += row.points;
        member.transactions++;
        if (!"REDEEM".equals(row.txnType)) {
            correctableRows.add(row);
        }
        return legacy(new LegacyOp.InsertTransaction(
                row.txnId, member.memberId, row.points, amount, row.txnType, null, now()));
    }

    private Action correction() {
        if (correctableRows.isEmpty()) {
            return null;
        }
        final LegacyRow row = correctableRows.get(random.nextInt(correctableRows.size()));
        final int corrected = Math.max(1, row.points + (int) Math.round(row.points * (random.nextDouble() - 0.5)));
        if (corrected == row.points || row.member.legacyPoints - row.points + corrected < 0) {
            return null;
        }
        row.member.legacyPoints += corrected - row.points;
        row.points = corrected;
        return legacy(new LegacyOp.UpdateTransactionPoints(row.txnId, corrected, now()));
    }

    private Action deletion() {
        if (correctableRows.isEmpty()) {
            return null;
        }
        final int index = random.nextInt(correctableRows.size());
        final LegacyRow row = correctableRows.get(index);
        if (row.member.legacyPoints - row.points < 0) {
            return null;
        }
        row.member.legacyPoints -= row.points;
        correctableRows.set(index, correctableRows.get(correctableRows.size() - 1));
        correctableRows.remove(correctableRows.size() - 1);
        return legacy(new LegacyOp.DeleteTransaction(row.txnId));
    }

    /**
     * The legacy application records an awarded purchase too, a little later, for the member mapped to the user
     * (created first if the user has none); some with different points, which the reconciler audits as CONFLICT.
     */
    private void scheduleDualRecord(final String user, final PurchaseEvent purchase, final long realtimePoints) {
        final boolean conflict = random.nextDouble() < plan.mix().conflictShare();
        final int delta = 1 + random.nextInt(25);
        final long legacyPoints =
                !conflict ? realtimePoints : realtimePoints > delta ? realtimePoints - delta : realtimePoints + delta;
        schedule(clock + 5 * SECOND + random.nextLong(5 * MINUTE), new Supplier<>() {
            @Override
            public Action get() {
                if (!memberOfUser.containsKey(user)) {
                    schedule(clock + 1, this);
                    return legacy(insertMember(user));
                }
                return legacy(new LegacyOp.InsertTransaction(
                        nextTxnId++,
                        memberOfUser.get(user).memberId,
                        Math.toIntExact(legacyPoints),
                        purchase.amount(),
                        "EARN",
                        purchase.transactionId(),
                        purchase.eventTime()));
            }
        });
    }

    /**
     * The legacy application closes a legacy-only account: its transactions and the member in one database
     * transaction. Its rows must become VOID (CONTRACT 5); the member is never touched again.
     */
    private Action closeLegacyAccount() {
        final Member member = members.stream()
                .filter(candidate -> !candidate.mapped && candidate.transactions > 0)
                .findFirst()
                .orElse(null);
        if (member == null) {
            schedule(clock + edgeCaseStep, this::closeLegacyAccount);
            return null;
        }
        members.remove(member);
        correctableRows.removeIf(row -> row.member == member);
        return legacy(new LegacyOp.DeleteMember(member.memberId));
    }

    private Action legacy(final LegacyOp op) {
        oracle.legacy(op);
        return new Action.LegacyWrite(op);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** The simulated time at {@code share} of the run's planned span. */
    private long at(final double share) {
        return plan.start().toEpochMilli()
                + (long) (share * plan.events() * plan.spacing().toMillis());
    }

    private Outcome decide(final Action.Send send) {
        return oracle.record(send.topic(), send.key(), send.partition(), send.value(), send.receivedAt());
    }

    private Action.Send bad(final String topic, final String key, final byte[] value) {
        final Action.Send send = new Action.Send(topic, key, null, value, Action.Kind.BAD_RECORD, now(), null, null);
        decide(send);
        return send;
    }

    private void schedule(final long at, final Supplier<Action> action) {
        scheduled.add(new Scheduled(at, scheduleSequence++, action));
    }

    private String pickUser() {
        return "u-" + plan.runId() + "-" + popularity.sample(random);
    }

    /** Users mostly shop at their home store. */
    private String storeOf(final String user) {
        final int home = 1 + Math.floorMod(user.hashCode(), plan.stores());
        return store(random.nextDouble() < 0.7 ? home : 1 + random.nextInt(plan.stores()));
    }

    private static String store(final int number) {
        return "s-" + number;
    }

    /** Typical basket: log-normal around $30, from $1 to $600, in cents (some whole dollars). */
    private BigDecimal amount() {
        final double dollars = Math.exp(Math.log(30) + 0.8 * random.nextGaussian());
        final long cents = Math.max(100, Math.min(60_000, Math.round(dollars * 100)));
        final BigDecimal amount = BigDecimal.valueOf(cents, 2);
        return random.nextDouble() < 0.15 ? amount.setScale(0, RoundingMode.FLOOR) : amount;
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock);
    }

    private static double sum(final double[] values) {
        double total = 0;
        for (final double value : values) {
            total += value;
        }
        return total;
    }
}
