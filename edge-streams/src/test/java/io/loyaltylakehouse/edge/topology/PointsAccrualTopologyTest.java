package io.loyaltylakehouse.edge.topology;

import static io.loyaltylakehouse.edge.EdgeFixtures.T0;
import static io.loyaltylakehouse.edge.EdgeFixtures.promotion;
import static io.loyaltylakehouse.edge.EdgeFixtures.purchase;
import static io.loyaltylakehouse.edge.EdgeFixtures.redemption;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LedgerEntry.EntryType;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.edge.EdgeFixtures;
import io.loyaltylakehouse.edge.model.Account;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONTRACT section 4, rule by rule, on the real topology with a {@link org.apache.kafka.streams.TopologyTestDriver}. */
class PointsAccrualTopologyTest {
    /** The wall clock of the driver: what recorded_at / seen_at / failed_at carry. */
    private static final Instant NOW = Instant.parse("2026-11-25T14:00:00Z");

    @TempDir
    Path stateDir;

    private AccrualHarness pipeline;

    @BeforeEach
    void start() {
        pipeline = new AccrualHarness(EdgeFixtures.config(stateDir), NOW);
    }

    @AfterEach
    void stop() {
        pipeline.close();
    }

    @Test
    void purchaseEarnsFloorOfAmountAndPublishesBalance() {
        // Given / When: an amount as a decimal string and one as a JSON number
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "25.90", "s-1", T0));
        pipeline.purchases.pipeInput(
                "u-1",
                "{\"transaction_id\":\"t-2\",\"user_id\":\"u-1\",\"amount\":0.99,"
                        + "\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"2026-11-25T12:01:00.250Z\"}");

        // Then
        assertThat(pipeline.ledger())
                .containsExactly(
                        earned("t-1", "u-1", 25, "s-1", "25.90", 1, T0),
                        earned("t-2", "u-1", 0, "s-1", "0.99", 1, Instant.parse("2026-11-25T12:01:00.250Z")));
        assertThat(pipeline.balances()).containsExactly(new BalanceUpdate("u-1", 25, null));
        assertThat(pipeline.allOutputsRead()).isTrue();
        assertThat(pipeline.account("u-1"))
                .isEqualTo(new Account(25, null, new TreeMap<>(Map.of(T0.toEpochMilli(), 25L))));
        assertThat(pipeline.counters.metrics().count("purchases_awarded_total", ""))
                .isEqualTo(2);
        assertThat(pipeline.counters.metrics().count("points_awarded_total", ""))
                .isEqualTo(25);
    }

    @Test
    void promotionsApplyByEventTimeAndStoreHighestMultiplierWins() {
        pipeline.promotions.pipeInput("p-all", promotion("p-all", 2, null, T0, T0.plus(Duration.ofHours(1))));
        pipeline.promotions.pipeInput(
                "p-s1", promotion("p-s1", 3, "s-1", T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(20))));

        pipeline.purchases.pipeInput("a", purchase("t-start", "a", "10.00", "s-2", T0)); // at starts_at
        pipeline.purchases.pipeInput(
                "b", purchase("t-end", "b", "10.00", "s-2", T0.plus(Duration.ofHours(1)))); // at ends_at
        pipeline.purchases.pipeInput("c", purchase("t-both", "c", "10.00", "s-1", T0.plus(Duration.ofMinutes(15))));
        pipeline.purchases.pipeInput("d", purchase("t-other", "d", "10.00", "s-2", T0.plus(Duration.ofMinutes(15))));
        pipeline.promotions.pipeInput("p-all", (String) null); // withdrawn
        pipeline.purchases.pipeInput(
                "e", purchase("t-withdrawn", "e", "10.00", "s-2", T0.plus(Duration.ofMinutes(30))));

        assertThat(pipeline.ledger())
                .extracting(LedgerEntry::businessKey, LedgerEntry::multiplier, LedgerEntry::points)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t-start", 2, 20L),
                        org.assertj.core.groups.Tuple.tuple("t-end", 1, 10L),
                        org.assertj.core.groups.Tuple.tuple("t-both", 3, 30L),
                        org.assertj.core.groups.Tuple.tuple("t-other", 2, 20L),
                        org.assertj.core.groups.Tuple.tuple("t-withdrawn", 1, 10L));
    }

    @Test
    void everyPromotionRecordAppliedMovesThePositionProducersWaitFor() {
        assertThat(pipeline.promotionsApplied.positions()).isEmpty();

        pipeline.promotions.pipeInput("p-1", promotion("p-1", 2, null, T0, T0.plus(Duration.ofHours(1))));
        pipeline.promotions.pipeInput("p-bad", "{\"promo_id\":\"p-bad\",\"multiplier\":1e9}"); // dead-lettered
        pipeline.promotions.pipeInput("p-1", (String) null); // withdrawn

        // the next offset to apply on partition 0: all three records, the invalid one included
        assertThat(pipeline.promotionsApplied.positions()).isEqualTo(Map.of(0, 3L));
    }

    @Test
    void purchaseAtWindowEndCountsInTheNextWindow() {
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "600", "s-1", T0.plus(Duration.ofMillis(299_999))));
        pipeline.purchases.pipeInput("u-1", purchase("t-2", "u-1", "600", "s-1", T0.plus(Duration.ofMinutes(5))));

        assertThat(pipeline.alerts()).isEmpty();
        assertThat(pipeline.account("u-1").windowPoints())
                .containsExactly(
                        Map.entry(T0.toEpochMilli(), 600L),
                        Map.entry(T0.plus(Duration.ofMinutes(5)).toEpochMilli(), 600L));
    }

    @Test
    void purchaseCrossingLimitIsAwardedAlertsAndPausesForAnHour() {
        final Instant crossing = T0.plus(Duration.ofMinutes(6));
        final Instant pausedUntil = crossing.plus(Duration.ofHours(1));
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "600", "s-1", T0.plus(Duration.ofMinutes(5))));
        pipeline.purchases.pipeInput("u-1", purchase("t-2", "u-1", "500", "s-1", crossing));
        pipeline.purchases.pipeInput("u-1", purchase("t-3", "u-1", "100.50", "s-1", T0.plus(Duration.ofMinutes(7))));
        pipeline.purchases.pipeInput("u-1", purchase("t-4", "u-1", "80", "s-1", pausedUntil.minusMillis(1)));
        pipeline.purchases.pipeInput("u-1", purchase("t-5", "u-1", "50", "s-1", pausedUntil)); // pause over

        assertThat(pipeline.ledger())
                .containsExactly(
                        earned("t-1", "u-1", 600, "s-1", "600", 1, T0.plus(Duration.ofMinutes(5))),
                        earned("t-2", "u-1", 500, "s-1", "500", 1, crossing),
                        paused("t-3", "u-1", 100, "s-1", "100.50", T0.plus(Duration.ofMinutes(7))),
                        paused("t-4", "u-1", 80, "s-1", "80", pausedUntil.minusMillis(1)),
                        earned("t-5", "u-1", 50, "s-1", "50", 1, pausedUntil));
        assertThat(pipeline.alerts())
                .containsExactly(new FraudAlert(
                        "u-1",
                        T0.plus(Duration.ofMinutes(5)),
                        T0.plus(Duration.ofMinutes(10)),
                        1100,
                        "t-2",
                        pausedUntil));
        assertThat(pipeline.balances())
                .containsExactly(
                        new BalanceUpdate("u-1", 600, null),
                        new BalanceUpdate("u-1", 1100, pausedUntil),
                        new BalanceUpdate("u-1", 1150, pausedUntil));
        assertThat(pipeline.allOutputsRead()).isTrue();
        // Closed windows are gone from the state: only the window of t-5 is left.
        assertThat(pipeline.account("u-1"))
                .isEqualTo(new Account(
                        1150, pausedUntil, new TreeMap<>(Map.of(PointsAccrualWindows.start(pausedUntil), 50L))));
        assertThat(pipeline.counters.metrics().count("purchases_paused_total", ""))
                .isEqualTo(2);
    }

    @Test
    void duplicatesEarnNothingWithinRetentionAndAreForgottenAfterIt() {
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "100", "s-1", T0));
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "100", "s-1", T0));
        pipeline.redemptions.pipeInput("u-1", redemption("r-1", "u-1", 40, T0.plusSeconds(10)));
        pipeline.redemptions.pipeInput("u-1", redemption("r-1", "u-1", 40, T0.plusSeconds(10)));

        assertThat(pipeline.ledger()).extracting(LedgerEntry::businessKey).containsExactly("t-1", "r-1");
        assertThat(pipeline.results()).hasSize(1);
        assertThat(pipeline.balances()).extracting(BalanceUpdate::balance).containsExactly(100L, 60L);
        assertThat(pipeline.counters.metrics().count("duplicates_total", "")).isEqualTo(2);
        // Every duplicate goes to its topic's dead letters with the reason, the raw record and where it came from.
        assertThat(pipeline.purchaseDeadLetters())
                .containsExactly(DeadLetter.of(
                        purchase("t-1", "u-1", "100", "s-1", T0),
                        "transaction_id 't-1' was already accepted (user 'u-1')",
                        "purchase_events",
                        0,
                        1,
                        NOW));
        assertThat(pipeline.redemptionDeadLetters())
                .containsExactly(DeadLetter.of(
                        redemption("r-1", "u-1", 40, T0.plusSeconds(10)),
                        "redemption_id 'r-1' was already accepted (user 'u-1')",
                        "redemption_events",
                        0,
                        1,
                        NOW));

        // The accepted ids are in the changelog a restarted instance restores from.
        assertThat(pipeline.driver
                        .createOutputTopic(
                                "edge-test-claimed-ids-changelog", new StringDeserializer(), new StringDeserializer())
                        .getQueueSize())
                .isEqualTo(2);

        // After the retention (7 days) the id is forgotten: the store is bounded.
        pipeline.driver.advanceWallClockTime(Duration.ofDays(7).plusMinutes(1));
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "100", "s-1", T0));
        assertThat(pipeline.ledger()).extracting(LedgerEntry::businessKey).containsExactly("t-1");
    }

    @Test
    void idsAreGlobalADuplicateUnderAnotherUserChangesNothingOfTheFirst() {
        pipeline.purchases.pipeInput("u-a", purchase("t-1", "u-a", "25", "s-1", T0));
        pipeline.purchases.pipeInput("u-b", purchase("t-1", "u-b", "90", "s-1", T0.plusSeconds(1)));
        pipeline.redemptions.pipeInput("u-a", redemption("r-1", "u-a", 5, T0.plusSeconds(2)));
        pipeline.purchases.pipeInput("u-b", purchase("t-2", "u-b", "30", "s-1", T0.plusSeconds(3)));
        pipeline.redemptions.pipeInput("u-b", redemption("r-1", "u-b", 5, T0.plusSeconds(4)));

        assertThat(pipeline.ledger())
                .extracting(LedgerEntry::businessKey, LedgerEntry::userId, LedgerEntry::points)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t-1", "u-a", 25L),
                        org.assertj.core.groups.Tuple.tuple("r-1", "u-a", -5L),
                        org.assertj.core.groups.Tuple.tuple("t-2", "u-b", 30L));
        assertThat(pipeline.purchaseDeadLetters())
                .extracting(DeadLetter::error, DeadLetter::offset)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "transaction_id 't-1' was already accepted (user 'u-a')", 1L));
        assertThat(pipeline.redemptionDeadLetters())
                .extracting(DeadLetter::error, DeadLetter::offset)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("redemption_id 'r-1' already belongs to user 'u-a'", 1L));
        assertThat(pipeline.results())
                .extracting(RedemptionResult::redemptionId, RedemptionResult::userId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r-1", "u-a"));
        assertThat(pipeline.account("u-a").balance()).isEqualTo(20);
        assertThat(pipeline.account("u-b").balance()).isEqualTo(30);
    }

    @Test
    void idsWithWhiteSpaceOrControlCharactersAreBadInput() {
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "10", "s-1", T0));
        pipeline.purchases.pipeInput("u-1", purchase("t-1 ", "u-1", "10", "s-1", T0));
        pipeline.purchases.pipeInput("u-1", purchase("\\u00a0t-1", "u-1", "10", "s-1", T0));
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1\\u0000", "10", "s-1", T0));
        pipeline.redemptions.pipeInput("u-1", redemption("\\tr-1", "u-1", 1, T0));

        assertThat(pipeline.ledger()).extracting(LedgerEntry::businessKey).containsExactly("t-1");
        assertThat(pipeline.purchaseDeadLetters())
                .extracting(DeadLetter::error)
                .containsExactly(
                        "transaction_id must not start or end with white space",
                        "transaction_id must not start or end with white space",
                        "user_id must not contain control characters");
        assertThat(pipeline.redemptionDeadLetters())
                .extracting(DeadLetter::error)
                .containsExactly("redemption_id must not start or end with white space");
    }

    @Test
    void oneFutureDatedRecordCannotMakeOtherUsersOnTimePurchasesLate() {
        // Given: a purchase 50 minutes ahead of the wall clock (accepted: the skew limit is 1 hour)
        pipeline.purchases.pipeInput(
                "u-future", purchase("t-future", "u-future", "10", "s-1", NOW.plus(Duration.ofMinutes(50))));
        // When: on-time purchases of other users follow on the same partition
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "600", "s-1", NOW.minusSeconds(30)));
        pipeline.purchases.pipeInput("u-1", purchase("t-2", "u-1", "600", "s-1", NOW.minusSeconds(20)));
        // Then: the stream time moved only to now + 1 minute, so neither is late and the fraud window still counts
        assertThat(pipeline.lateEvents()).isEmpty();
        assertThat(pipeline.alerts()).extracting(FraudAlert::transactionId).containsExactly("t-2");
        assertThat(pipeline.ledger()).extracting(LedgerEntry::businessKey).containsExactly("t-future", "t-1", "t-2");
        // A purchase more than the allowed lateness behind now + 1 minute is late again.
        pipeline.purchases.pipeInput("u-2", purchase("t-3", "u-2", "5", "s-1", NOW.minus(Duration.ofMinutes(10))));
        assertThat(pipeline.lateEvents())
                .extracting(LateEvent::transactionId, LateEvent::latenessMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "t-3", Duration.ofMinutes(11).toMillis()));
    }

    @Test
    void aRecordIsJudgedByWhenItWasProducedNotByWhenItIsRead() {
        // Given: edge-streams reads a backlog two hours after it was produced (down, or catching up after a crash)
        pipeline.driver.advanceWallClockTime(Duration.ofHours(2));
        // When: the backlog holds a purchase dated 50 minutes after it was produced, on-time purchases behind it,
        // and one dated 70 minutes after it was produced
        pipeline.purchases.pipeInput(
                "u-future", purchase("t-future", "u-future", "10", "s-1", NOW.plus(Duration.ofMinutes(50))), NOW);
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "5", "s-1", NOW.minus(Duration.ofMinutes(5))), NOW);
        pipeline.purchases.pipeInput(
                "u-2", purchase("t-2", "u-2", "5", "s-1", NOW.plus(Duration.ofMinutes(70))), NOW.plusSeconds(1));
        // Then: the same outcome as if it had been read at once: stream time stopped at production + 1 minute, so
        // t-1 is on time, and t-2 is more than the skew ahead of its receiving clock
        assertThat(pipeline.lateEvents()).isEmpty();
        assertThat(pipeline.ledger()).extracting(LedgerEntry::businessKey).containsExactly("t-future", "t-1");
        assertThat(pipeline.purchaseDeadLetters())
                .extracting(DeadLetter::error)
                .singleElement()
                .asString()
                .contains("more than PT1H in the future");
    }

    @Test
    void aProducerClockAheadOfEdgeStreamsGainsNothing() {
        // A record stamped two hours ahead of edge-streams' clock is received now: 50 minutes ahead is accepted but
        // moves stream time to now + 1 minute only, 70 minutes ahead is bad input.
        pipeline.purchases.pipeInput(
                "u-future",
                purchase("t-future", "u-future", "10", "s-1", NOW.plus(Duration.ofMinutes(50))),
                NOW.plus(Duration.ofHours(2)));
        pipeline.purchases.pipeInput(
                "u-2",
                purchase("t-2", "u-2", "5", "s-1", NOW.plus(Duration.ofMinutes(70))),
                NOW.plus(Duration.ofHours(2)));
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "5", "s-1", NOW.minus(Duration.ofMinutes(5))));
        assertThat(pipeline.lateEvents()).isEmpty();
        assertThat(pipeline.ledger()).extracting(LedgerEntry::businessKey).containsExactly("t-future", "t-1");
        assertThat(pipeline.purchaseDeadLetters()).hasSize(1);
    }

    @Test
    void redemptionIsAcceptedOnlyWhenTheBalanceCoversIt() {
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "100", "s-1", T0));
        pipeline.redemptions.pipeInput("u-1", redemption("r-1", "u-1", 30, T0.plusSeconds(1)));
        pipeline.redemptions.pipeInput("u-1", redemption("r-2", "u-1", 100, T0.plusSeconds(2)));
        pipeline.redemptions.pipeInput("u-1", redemption("r-3", "u-1", 70, T0.plusSeconds(3)));
        pipeline.redemptions.pipeInput("u-9", redemption("r-9", "u-9", 1, T0.plusSeconds(3)));
        // A rejected redemption was never accepted: retried once the balance covers it, it goes through.
        pipeline.purchases.pipeInput("u-1", purchase("t-2", "u-1", "100", "s-1", T0.plusSeconds(4)));
        pipeline.redemptions.pipeInput("u-1", redemption("r-2", "u-1", 100, T0.plusSeconds(5)));

        assertThat(pipeline.results())
                .containsExactly(
                        new RedemptionResult("r-1", "u-1", 30, RedemptionResult.Status.ACCEPTED, null),
                        new RedemptionResult(
                                "r-2", "u-1", 100, RedemptionResult.Status.REJECTED, "insufficient balance: 70 < 100"),
                        new RedemptionResult("r-3", "u-1", 70, RedemptionResult.Status.ACCEPTED, null),
                        new RedemptionResult(
                                "r-9", "u-9", 1, RedemptionResult.Status.REJECTED, "insufficient balance: 0 < 1"),
                        new RedemptionResult("r-2", "u-1", 100, RedemptionResult.Status.ACCEPTED, null));
        assertThat(pipeline.ledger())
                .containsExactly(
                        earned("t-1", "u-1", 100, "s-1", "100", 1, T0),
                        redeemed("r-1", "u-1", 30, T0.plusSeconds(1)),
                        redeemed("r-3", "u-1", 70, T0.plusSeconds(3)),
                        earned("t-2", "u-1", 100, "s-1", "100", 1, T0.plusSeconds(4)),
                        redeemed("r-2", "u-1", 100, T0.plusSeconds(5)));
        assertThat(pipeline.balances()).extracting(BalanceUpdate::balance).containsExactly(100L, 70L, 0L, 100L, 0L);
        assertThat(pipeline.account("u-1").balance()).isZero();
        assertThat(pipeline.account("u-9")).isNull();
        assertThat(pipeline.counters.metrics().count("redemptions_rejected_total", ""))
                .isEqualTo(2);
    }

    @Test
    void latePurchaseIsAwardedCopiedAndSkipsItsClosedWindow() {
        pipeline.promotions.pipeInput(
                "p-1", promotion("p-1", 2, null, T0.plus(Duration.ofMinutes(42)), T0.plus(Duration.ofMinutes(43))));
        pipeline.purchases.pipeInput("u-2", purchase("t-1", "u-2", "900", "s-1", T0.plus(Duration.ofMinutes(41))));
        pipeline.purchases.pipeInput("u-3", purchase("t-2", "u-3", "1", "s-1", T0.plus(Duration.ofMinutes(60))));
        // 10 minutes behind is still on time; 18 minutes behind is late. Its window [40, 45) closed at 55.
        pipeline.purchases.pipeInput("u-4", purchase("t-3", "u-4", "5", "s-1", T0.plus(Duration.ofMinutes(50))));
        pipeline.purchases.pipeInput("u-2", purchase("t-4", "u-2", "250", "s-1", T0.plus(Duration.ofMinutes(42))));

        assertThat(pipeline.ledger())
                .extracting(LedgerEntry::businessKey, LedgerEntry::points)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("t-1", 900L),
                        org.assertj.core.groups.Tuple.tuple("t-2", 1L),
                        org.assertj.core.groups.Tuple.tuple("t-3", 5L),
                        org.assertj.core.groups.Tuple.tuple("t-4", 500L)); // promotion by its own event time
        assertThat(pipeline.lateEvents())
                .containsExactly(new LateEvent(
                        "t-4",
                        "u-2",
                        "s-1",
                        new BigDecimal("250"),
                        500,
                        T0.plus(Duration.ofMinutes(42)),
                        Duration.ofMinutes(18).toMillis(),
                        NOW));
        assertThat(pipeline.alerts()).isEmpty();
        assertThat(pipeline.account("u-2")).isEqualTo(new Account(1400, null, new TreeMap<>()));
    }

    @Test
    void redemptionsMoveStreamTimeAndLatePurchasesNeverCountTowardAFraudWindow() {
        // A (rejected) redemption at 61 moves the stream time of partition 0: purchases at 50 are 11 minutes late,
        // so neither counts toward the window [50, 55), though on-time purchases could still reach it until 65.
        pipeline.redemptions.pipeInput("u-3", redemption("r-0", "u-3", 1, T0.plus(Duration.ofMinutes(61))));
        pipeline.purchases.pipeInput("u-5", purchase("t-1", "u-5", "600", "s-1", T0.plus(Duration.ofMinutes(50))));
        pipeline.purchases.pipeInput(
                "u-5", purchase("t-2", "u-5", "500", "s-1", T0.plus(Duration.ofSeconds(50 * 60 + 30))));

        assertThat(pipeline.lateEvents())
                .extracting(LateEvent::transactionId, LateEvent::latenessMs)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "t-1", Duration.ofMinutes(11).toMillis()),
                        org.assertj.core.groups.Tuple.tuple(
                                "t-2", Duration.ofSeconds(10 * 60 + 30).toMillis()));
        assertThat(pipeline.alerts()).isEmpty();
        assertThat(pipeline.account("u-5")).isEqualTo(new Account(1100, null, new TreeMap<>()));
    }

    @Test
    void invalidRecordsAreDeadLetteredAndProcessingGoesOn() {
        final String valid = purchase("t-ok", "u-1", "10.50", "s-1", T0);
        final List<String> bad = List.of(
                "{not json",
                valid.replace("\"10.50\"", "\"10.123\""),
                valid.replace("\"10.50\"", "\"-5\""),
                valid.replace("\"10.50\"", "\"1000000.01\""),
                valid.replace("USD", "EUR"),
                valid.replace("\"user_id\":\"u-1\",", ""),
                valid.replace(T0.toString(), "yesterday"),
                valid.replace("\"10.50\"", "true"),
                "[1,2]");
        bad.forEach(json -> pipeline.purchases.pipeInput("u-1", json));
        pipeline.purchases.pipeInput("u-1", (String) null);
        pipeline.redemptions.pipeInput(
                "u-1",
                "{\"redemption_id\":\"r-1\",\"user_id\":\"u-1\",\"points\":1.5,"
                        + "\"event_time\":\"2026-11-25T12:00:00Z\"}");
        pipeline.purchases.pipeInput("u-1", valid);

        final List<DeadLetter> deadLetters = pipeline.purchaseDeadLetters();
        assertThat(deadLetters)
                .extracting(DeadLetter::error)
                .containsExactly(
                        "not valid JSON: Unexpected character ('n' (code 110)): was expecting double-quote to start field name",
                        "amount must have at most 2 decimals, got 10.123",
                        "amount must be > 0, got -5",
                        "amount must be <= 1000000, got 1000000.01",
                        "currency must be USD, got 'EUR'",
                        "user_id is missing",
                        "event_time must be an ISO-8601 UTC timestamp, got 'yesterday'",
                        "amount must be a number or a decimal string, got true",
                        "not a JSON object",
                        "record has no value");
        assertThat(deadLetters).extracting(DeadLetter::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(deadLetters.get(0))
                .isEqualTo(DeadLetter.of("{not json", deadLetters.get(0).error(), "purchase_events", 0, 0, NOW));
        assertThat(pipeline.redemptionDeadLetters())
                .containsExactly(DeadLetter.of(
                        "{\"redemption_id\":\"r-1\",\"user_id\":\"u-1\",\"points\":1.5,\"event_time\":\"2026-11-25T12:00:00Z\"}",
                        "points must be a whole number, got 1.5",
                        "redemption_events",
                        0,
                        0,
                        NOW));
        assertThat(pipeline.ledger()).extracting(LedgerEntry::businessKey).containsExactly("t-ok");
        assertThat(pipeline.counters.metrics().count("dead_letters_total", "topic=\"purchase_events\""))
                .isEqualTo(10);
        // by kind of reason, without the quoted values: "amount must be > 0" and "amount must be <= 1000000"
        assertThat(pipeline.counters
                        .metrics()
                        .count("dead_letters_total", "topic=\"purchase_events\",reason=\"amount_must_be\""))
                .isEqualTo(2);
    }

    @Test
    void writtenRecordsNeverCarryATimeAheadOfTheWallClock() {
        // Given: a purchase 30 minutes ahead (accepted) and one years ahead (dead-lettered)
        final Instant ahead = NOW.plus(Duration.ofMinutes(30));
        pipeline.purchases.pipeInput("u-1", purchase("t-1", "u-1", "10", "s-1", ahead));
        pipeline.purchases.pipeInput("u-1", purchase("t-2", "u-1", "10", "s-1", Instant.parse("2099-01-01T00:00:00Z")));

        // Then: brokers refuse timestamps far ahead, so both are written at the wall clock
        assertThat(pipeline.output(Topics.POINTS_LEDGER).readRecord().getRecordTime())
                .isEqualTo(NOW);
        final var deadLetter =
                pipeline.output(Topics.deadLettersOf(Topics.PURCHASE_EVENTS)).readRecord();
        assertThat(deadLetter.getRecordTime()).isEqualTo(NOW);
        assertThat(deadLetter.getValue().error())
                .contains("event_time 2099-01-01T00:00:00Z is more than PT1H in the future");
    }

    private static LedgerEntry earned(
            final String transactionId,
            final String userId,
            final long points,
            final String storeId,
            final String amount,
            final int multiplier,
            final Instant eventTime) {
        return new LedgerEntry(
                transactionId,
                userId,
                points,
                0,
                LedgerStatus.AWARDED,
                EntryType.EARN,
                transactionId,
                null,
                storeId,
                new BigDecimal(amount),
                multiplier,
                eventTime,
                NOW);
    }

    private static LedgerEntry paused(
            final String transactionId,
            final String userId,
            final long withheld,
            final String storeId,
            final String amount,
            final Instant eventTime) {
        return new LedgerEntry(
                transactionId,
                userId,
                0,
                withheld,
                LedgerStatus.PAUSED,
                EntryType.EARN,
                transactionId,
                null,
                storeId,
                new BigDecimal(amount),
                1,
                eventTime,
                NOW);
    }

    private static LedgerEntry redeemed(
            final String redemptionId, final String userId, final long points, final Instant eventTime) {
        return new LedgerEntry(
                redemptionId,
                userId,
                -points,
                0,
                LedgerStatus.AWARDED,
                EntryType.REDEEM,
                null,
                redemptionId,
                null,
                null,
                0,
                eventTime,
                NOW);
    }

    /** The window start of an instant, as the account store keys it. */
    private static final class PointsAccrualWindows {
        static long start(final Instant instant) {
            return Math.floorDiv(instant.toEpochMilli(), Duration.ofMinutes(5).toMillis())
                    * Duration.ofMinutes(5).toMillis();
        }
    }
}
