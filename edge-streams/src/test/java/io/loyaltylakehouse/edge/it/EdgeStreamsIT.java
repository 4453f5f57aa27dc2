package io.loyaltylakehouse.edge.it;

import static io.loyaltylakehouse.edge.EdgeFixtures.promotion;
import static io.loyaltylakehouse.edge.EdgeFixtures.purchase;
import static io.loyaltylakehouse.edge.EdgeFixtures.redemption;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * edge-streams as separate processes on a real broker: generated traffic with its ground truth, an instance killed
 * (SIGKILL) mid-stream and restarted, then a second instance scaling out. Balances, ledger and every other output
 * must equal the ground truth exactly: nothing lost, nothing counted twice.
 */
class EdgeStreamsIT extends EdgeStreamsItBase {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeStreamsIT.class);
    private static final int USERS = 100;
    private static final int ROUNDS = 50;
    private static final String PROMO_STORE = "s-promo";
    private static final Duration WAIT = Duration.ofMinutes(3);

    @Test
    void outputsEqualTheGroundTruthAcrossAKillAndAScaleOut() {
        // 1. traffic with ground truth
        final Instant base = Instant.now().minus(Duration.ofHours(6)).truncatedTo(ChronoUnit.HOURS);
        final GroundTruth truth = new GroundTruth();
        final Instant fraudAt = base.plus(Duration.ofMinutes(5L * ROUNDS + 10));
        send(
                topics.promotions(),
                "p-triple",
                promotion(
                        "p-triple", 3, PROMO_STORE, base.minus(Duration.ofHours(1)), base.plus(Duration.ofHours(10))));
        send(topics.promotions(), "p-bad", promotion("p-bad", 0, null, base, base.plus(Duration.ofHours(1))));
        sendRounds(0, ROUNDS / 2, base, truth);
        sendBadRecords(base);

        try (TopicReader ledger = new TopicReader(bootstrap, topics.pointsLedger());
                TopicReader balances = new TopicReader(bootstrap, topics.loyaltyPointsRealtime());
                TopicReader alerts = new TopicReader(bootstrap, topics.fraudAlerts());
                TopicReader late = new TopicReader(bootstrap, topics.lateEvents());
                TopicReader results = new TopicReader(bootstrap, topics.redemptionResults())) {
            // 2. the first instance is killed as soon as its first output is visible: mid-stream
            final EdgeProcess first = startInstance("state-1", "edge-1.log");
            await("first ledger entries")
                    .atMost(WAIT)
                    .until(() -> !ledger.records().isEmpty());
            first.kill();
            final int seenAtKill = ledger.records().size();
            LOG.info(
                    "Killed the first instance with {} of {} purchases in the ledger",
                    seenAtKill,
                    truth.entries.size());
            assertThat(seenAtKill).as("killed mid-stream").isLessThan(truth.entries.size());

            // 3. more traffic while it is down: the rest, a fraud burst, and replays of already accepted purchases
            sendRounds(ROUNDS / 2, ROUNDS, base, truth);
            sendFraudBurst(fraudAt, truth);
            sendRounds(0, 5, base, new GroundTruth());

            // 4. restarted on the same state directory: exactly the ground truth
            startInstance("state-1", "edge-1-restarted.log");
            await("balances equal the ground truth")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(latestBalances(balances)).isEqualTo(truth.balances));
            await("ledger complete").atMost(WAIT).until(() -> ledger.records().size() >= truth.entries.size());
            assertThat(ledgerByKey(ledger)).isEqualTo(truth.entries);
            assertThat(ledger.records())
                    .as("one ledger entry per business key, none twice")
                    .hasSize(truth.entries.size());
            assertThat(alerts.values(FraudAlert.class))
                    .extracting(FraudAlert::userId, FraudAlert::transactionId, FraudAlert::pointsInWindow)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("u-fraud", "f-2", 1200L));
            assertThat(late.records())
                    .as("per-partition stream time survives the kill: no spurious late events")
                    .isEmpty();
            assertDeadLetters();

            // 5. a second instance joins; redemptions; the balance API answers for every user on both instances
            final EdgeProcess second = startInstance("state-2", "edge-2.log");
            final Map<String, Long> afterRedemptions = sendRedemptions(base.plus(Duration.ofHours(5)), truth);
            await("redemption results")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(results.values(RedemptionResult.class).stream()
                                    .collect(Collectors.groupingBy(RedemptionResult::status, Collectors.counting())))
                            .isEqualTo(Map.of(
                                    RedemptionResult.Status.ACCEPTED,
                                    (long) USERS,
                                    RedemptionResult.Status.REJECTED,
                                    (long) USERS)));
            await("balances after redemptions")
                    .atMost(WAIT)
                    .pollInterval(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(latestBalances(balances)).isEqualTo(afterRedemptions));
            for (final EdgeProcess instance : List.of(instances.get(1), second)) {
                await("balance API on port " + instance.port())
                        .atMost(WAIT)
                        .pollInterval(Duration.ofSeconds(1))
                        .untilAsserted(() -> assertThat(balancesFromApi(instance, afterRedemptions.keySet()))
                                .isEqualTo(afterRedemptions));
            }
            assertThat(Json.fromJson(second.get("/users/u-fraud/balance").body(), BalanceUpdate.class))
                    .isEqualTo(new BalanceUpdate(
                            "u-fraud", 1200, fraudAt.plusSeconds(2).plus(Duration.ofHours(1))));
            assertThat(second.get("/users/nobody/balance").statusCode()).isEqualTo(404);
            final String metrics = second.get("/metrics").body();
            assertThat(metrics)
                    .contains(
                            "edge_purchases_awarded_total",
                            "edge_dead_letters_total",
                            "edge_points_liability",
                            "kafka_stream_thread_process_total",
                            "jvm_memory_used_bytes");
        }
    }

    /** Round {@code r} gives every user one purchase, 5 minutes apart, so no user ever nears the fraud limit. */
    private void sendRounds(final int from, final int to, final Instant base, final GroundTruth truth) {
        for (int round = from; round < to; round++) {
            for (int user = 0; user < USERS; user++) {
                final String userId = "u-" + user;
                final String transactionId = "t-" + round + "-" + user;
                final long whole = 10 + (user * 31L + round * 17L) % 90;
                final String amount = whole + "." + String.format("%02d", (user + round) % 100);
                final String store = round % 5 == 0 ? PROMO_STORE : "s-" + user % 7;
                final Instant eventTime =
                        base.plus(Duration.ofMinutes(5L * round)).plusMillis(user);
                send(topics.purchaseEvents(), userId, purchase(transactionId, userId, amount, store, eventTime));
                truth.earn(transactionId, userId, whole * (store.equals(PROMO_STORE) ? 3 : 1), LedgerStatus.AWARDED);
            }
        }
        flush();
    }

    /** 3 x 600 points in one window: the second crosses 1000 (awarded, alert, pause), the third is withheld. */
    private void sendFraudBurst(final Instant at, final GroundTruth truth) {
        for (int i = 1; i <= 3; i++) {
            send(topics.purchaseEvents(), "u-fraud", purchase("f-" + i, "u-fraud", "600.00", "s-1", at.plusSeconds(i)));
        }
        truth.earn("f-1", "u-fraud", 600, LedgerStatus.AWARDED);
        truth.earn("f-2", "u-fraud", 600, LedgerStatus.AWARDED);
        truth.earn("f-3", "u-fraud", 600, LedgerStatus.PAUSED);
        flush();
    }

    private void sendBadRecords(final Instant base) {
        final String valid = purchase("t-bad", "u-1", "10.00", "s-1", base);
        for (final String bad : List.of(
                "{",
                valid.replace("10.00", "10.001"),
                valid.replace("10.00", "0"),
                valid.replace("USD", "usd"),
                valid.replace(base.toString(), "noon"))) {
            send(topics.purchaseEvents(), "u-1", bad);
        }
        send(
                topics.redemptionEvents(),
                "u-1",
                "{\"redemption_id\":\"r-bad\",\"user_id\":\"u-1\",\"points\":-1," + "\"event_time\":\"" + base + "\"}");
        flush();
    }

    /** Per user: half the balance (accepted), a replay of it (ignored), then the whole balance (rejected). */
    private Map<String, Long> sendRedemptions(final Instant at, final GroundTruth truth) {
        final Map<String, Long> after = new TreeMap<>(truth.balances);
        for (int user = 0; user < USERS; user++) {
            final String userId = "u-" + user;
            final long balance = truth.balances.get(userId);
            send(topics.redemptionEvents(), userId, redemption("r-a-" + user, userId, balance / 2, at));
            send(topics.redemptionEvents(), userId, redemption("r-a-" + user, userId, balance / 2, at));
            send(topics.redemptionEvents(), userId, redemption("r-b-" + user, userId, balance, at.plusSeconds(1)));
            after.put(userId, balance - balance / 2);
        }
        flush();
        return after;
    }

    private void assertDeadLetters() {
        try (TopicReader purchases = new TopicReader(bootstrap, Topics.deadLettersOf(topics.purchaseEvents()));
                TopicReader redemptions = new TopicReader(bootstrap, Topics.deadLettersOf(topics.redemptionEvents()));
                TopicReader promotions = new TopicReader(bootstrap, Topics.deadLettersOf(topics.promotions()))) {
            await("dead letters").atMost(WAIT).untilAsserted(() -> {
                // 5 invalid records, then the replays of rounds 0-4 (500 already accepted purchases)
                assertThat(purchases.values(DeadLetter.class))
                        .hasSize(5 + 5 * USERS)
                        .allMatch(dead -> dead.sourceTopic()
                                .equals(topics.purchaseEvents().name()));
                assertThat(
                                purchases.values(DeadLetter.class).stream()
                                        .filter(
                                                dead -> dead.error()
                                                        .matches(
                                                                "transaction_id 't-[0-4]-\\d+' was already accepted \\(user 'u-\\d+'\\)")))
                        .hasSize(5 * USERS);
                assertThat(redemptions.values(DeadLetter.class))
                        .extracting(DeadLetter::error)
                        .containsExactly("points must be > 0, got -1");
                assertThat(promotions.values(DeadLetter.class))
                        .extracting(DeadLetter::error)
                        .containsExactly("multiplier must be a whole number from 1 to 1000, got 0");
            });
        }
    }

    private static Map<String, Expected> ledgerByKey(final TopicReader ledger) {
        return ledger.values(LedgerEntry.class).stream()
                .collect(Collectors.toMap(
                        LedgerEntry::businessKey,
                        entry -> new Expected(entry.userId(), entry.points(), entry.withheldPoints(), entry.status()),
                        (a, b) -> {
                            throw new AssertionError("business key twice in the ledger: " + a + " / " + b);
                        },
                        TreeMap::new));
    }

    private static Map<String, Long> balancesFromApi(final EdgeProcess instance, final Set<String> users) {
        final Map<String, Long> out = new TreeMap<>();
        for (final String user : users) {
            final HttpResponse<String> response = instance.get("/users/" + user + "/balance");
            assertThat(response.statusCode()).as(user + ": " + response.body()).isEqualTo(200);
            out.put(user, Json.fromJson(response.body(), BalanceUpdate.class).balance());
        }
        return out;
    }

    /** A ledger entry's business content (recorded_at is the processing time, not part of the truth). */
    private record Expected(String userId, long points, long withheldPoints, LedgerStatus status) {}

    /** What the traffic must produce, computed from the contract's rules on the traffic's own terms. */
    private static final class GroundTruth {
        final Map<String, Expected> entries = new TreeMap<>();
        final Map<String, Long> balances = new TreeMap<>();

        void earn(final String transactionId, final String userId, final long points, final LedgerStatus status) {
            final boolean paused = status == LedgerStatus.PAUSED;
            entries.put(transactionId, new Expected(userId, paused ? 0 : points, paused ? points : 0, status));
            balances.merge(userId, paused ? 0 : points, Long::sum);
        }
    }
}
