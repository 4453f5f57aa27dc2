package io.loyaltylakehouse.edge.it;

import static io.loyaltylakehouse.edge.EdgeFixtures.purchase;
import static io.loyaltylakehouse.edge.EdgeFixtures.redemption;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * CONTRACT 4.2 (global ids) and 4.4 (stream time) through the real broker, with records on explicit partitions as a
 * producer with another partitioner would write them: one user on several partitions has one balance and one
 * dedup; an id accepted for one user is a duplicate for another; a record dated ahead of the clock makes no one late.
 */
class GlobalIdsAndOwnershipIT extends EdgeStreamsItBase {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void oneUserOnSeveralPartitionsHasOneBalanceAndIdsAreGlobal() {
        final Instant now = Instant.now();
        final EdgeProcess edge = startInstance("state", "edge.log");
        try (TopicReader ledger = new TopicReader(bootstrap, topics.pointsLedger());
                TopicReader balances = new TopicReader(bootstrap, topics.loyaltyPointsRealtime());
                TopicReader late = new TopicReader(bootstrap, topics.lateEvents());
                TopicReader results = new TopicReader(bootstrap, topics.redemptionResults());
                TopicReader purchaseDlq = new TopicReader(bootstrap, Topics.deadLettersOf(topics.purchaseEvents()));
                TopicReader redemptionDlq =
                        new TopicReader(bootstrap, Topics.deadLettersOf(topics.redemptionEvents()))) {
            // 1. a purchase dated 50 minutes ahead (accepted: within the 1 h skew) first on partition 0
            sendTo(
                    topics.purchaseEvents(),
                    0,
                    "u-future",
                    purchase("t-future", "u-future", "5", "s-1", now.plus(Duration.ofMinutes(50))));
            flush();
            await("future-dated purchase")
                    .atMost(WAIT)
                    .until(() -> ledger.records().size() == 1);

            // 2. one user's purchases on three partitions; on-time purchases of other users behind the future one
            sendTo(
                    topics.purchaseEvents(),
                    0,
                    "u-split",
                    purchase("t-1", "u-split", "11", "s-1", now.minusSeconds(40)));
            sendTo(
                    topics.purchaseEvents(),
                    1,
                    "u-split",
                    purchase("t-2", "u-split", "23", "s-1", now.minusSeconds(30)));
            sendTo(
                    topics.purchaseEvents(),
                    2,
                    "u-split",
                    purchase("t-3", "u-split", "47", "s-1", now.minusSeconds(20)));
            for (int user = 0; user < 3; user++) {
                sendTo(
                        topics.purchaseEvents(),
                        0,
                        "u-on-time-" + user,
                        purchase("t-on-time-" + user, "u-on-time-" + user, "2", "s-1", now.minusSeconds(10 - user)));
            }
            flush();
            await("first purchases").atMost(WAIT).until(() -> ledger.records().size() == 7);

            // 3. replays on other partitions, the same transaction_id under another user, one redemption twice
            sendTo(
                    topics.purchaseEvents(),
                    3,
                    "u-split",
                    purchase("t-1", "u-split", "11", "s-1", now.minusSeconds(40)));
            sendTo(topics.purchaseEvents(), 0, "u-other", purchase("t-2", "u-other", "99", "s-1", now));
            sendTo(topics.redemptionEvents(), 1, "u-split", redemption("r-1", "u-split", 30, now));
            sendTo(topics.redemptionEvents(), 3, "u-split", redemption("r-1", "u-split", 30, now));
            flush();
            await("duplicates dead-lettered").atMost(WAIT).untilAsserted(() -> {
                assertThat(purchaseDlq.records()).hasSize(2);
                assertThat(redemptionDlq.records()).hasSize(1);
                assertThat(results.records()).hasSize(1);
            });

            assertThat(parse(purchaseDlq.records().stream().map(r -> r.value()).toList(), DeadLetter.class))
                    .extracting(DeadLetter::error)
                    .containsExactlyInAnyOrder(
                            "transaction_id 't-1' was already accepted (user 'u-split')",
                            "transaction_id 't-2' was already accepted (user 'u-split')");
            assertThat(parse(
                            redemptionDlq.records().stream().map(r -> r.value()).toList(), DeadLetter.class))
                    .extracting(DeadLetter::error)
                    .containsExactly("redemption_id 'r-1' was already accepted (user 'u-split')");
            assertThat(results.values(RedemptionResult.class))
                    .extracting(RedemptionResult::status)
                    .containsExactly(RedemptionResult.Status.ACCEPTED);
            final Map<String, String> owners = ledger.values(LedgerEntry.class).stream()
                    .collect(Collectors.toMap(
                            LedgerEntry::businessKey,
                            LedgerEntry::userId,
                            (a, b) -> {
                                throw new AssertionError("business key twice in the ledger: " + a + " / " + b);
                            },
                            TreeMap::new));
            assertThat(owners)
                    .containsExactlyInAnyOrderEntriesOf(Map.of(
                            "t-future",
                            "u-future",
                            "t-1",
                            "u-split",
                            "t-2",
                            "u-split",
                            "t-3",
                            "u-split",
                            "t-on-time-0",
                            "u-on-time-0",
                            "t-on-time-1",
                            "u-on-time-1",
                            "t-on-time-2",
                            "u-on-time-2",
                            "r-1",
                            "u-split"));
            await("balances")
                    .atMost(WAIT)
                    .untilAsserted(() -> assertThat(latestBalances(balances))
                            .isEqualTo(Map.of(
                                    "u-future",
                                    5L,
                                    "u-split",
                                    11L + 23 + 47 - 30,
                                    "u-on-time-0",
                                    2L,
                                    "u-on-time-1",
                                    2L,
                                    "u-on-time-2",
                                    2L)));
            assertThat(Json.fromJson(edge.get("/users/u-split/balance").body(), BalanceUpdate.class)
                            .balance())
                    .isEqualTo(51);
            assertThat(edge.get("/users/u-other/balance").statusCode())
                    .as("a duplicate opens no account")
                    .isEqualTo(404);
            assertThat(late.records())
                    .as("the future-dated purchase made no one late")
                    .isEmpty();
        }
    }

    @Test
    void whiteSpaceIdsCannotEarnTwice() {
        final Instant now = Instant.now();
        startInstance("state", "edge.log");
        try (TopicReader ledger = new TopicReader(bootstrap, topics.pointsLedger());
                TopicReader purchaseDlq = new TopicReader(bootstrap, Topics.deadLettersOf(topics.purchaseEvents()))) {
            for (final String id : List.of("t-1", "t-1 ", " t-1", "t-1\\t")) {
                send(topics.purchaseEvents(), "u-1", purchase(id, "u-1", "10", "s-1", now));
            }
            flush();
            await("outcomes").atMost(WAIT).untilAsserted(() -> {
                assertThat(ledger.values(LedgerEntry.class))
                        .extracting(LedgerEntry::businessKey)
                        .containsExactly("t-1");
                assertThat(purchaseDlq.values(DeadLetter.class))
                        .extracting(DeadLetter::error)
                        .containsOnly("transaction_id must not start or end with white space")
                        .hasSize(3);
            });
        }
    }
}
