package io.loyaltylakehouse.load.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.Promotion;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.common.model.RedemptionEvent;
import io.loyaltylakehouse.load.legacy.LegacyOp;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

/** The oracle on hand-written scenarios, one rule of CONTRACT sections 4-6 each. */
class GroundTruthOracleTest {
    private static final TopicLayout TOPICS = new TopicLayout("purchase_events", "redemption_events", "promotions", 4);
    /** 12:00:00, the start of a 5-minute window. */
    private static final Instant NOON = Instant.parse("2026-11-25T12:00:00Z");

    private final GroundTruthOracle oracle = new GroundTruthOracle(Rules.CONTRACT, TOPICS);
    private int transactions;

    @Test
    void awardsFloorOfTheAmountAndPausesOnThePurchaseThatCrossesTheLimit() {
        assertThat(purchase("u-1", "400.99", NOON).points()).isEqualTo(400);
        assertThat(purchase("u-1", "400.00", NOON.plusSeconds(60)).alert()).isNull();

        // 800 so far; this one makes 1100 > 1000: still awarded, alert, paused for an hour from its event_time
        final Outcome crossing = purchase("u-1", "300.50", NOON.plusSeconds(120));

        assertThat(crossing.kind()).isEqualTo(Outcome.Kind.AWARDED);
        assertThat(crossing.points()).isEqualTo(300);
        assertThat(crossing.alert()).isNotNull();
        assertThat(crossing.alert().windowStart()).isEqualTo(NOON);
        assertThat(crossing.alert().windowEnd()).isEqualTo(NOON.plus(Duration.ofMinutes(5)));
        assertThat(crossing.alert().pointsInWindow()).isEqualTo(1100);
        assertThat(crossing.alert().pausedUntil())
                .isEqualTo(NOON.plusSeconds(120).plus(Duration.ofHours(1)));
        final Truth.UserTruth user = truth().users().get("u-1");
        assertThat(user.realtimeBalance()).isEqualTo(1100);
        assertThat(user.fraudAlerts()).isEqualTo(1);
        assertThat(user.pausedUntil()).isEqualTo(NOON.plusSeconds(120).plus(Duration.ofHours(1)));
    }

    @Test
    void exactlyTheLimitIsNoAlertAndWindowsAreEpochAligned() {
        purchase("u-1", "600", NOON.minusSeconds(1)); // 11:59:59, previous window
        purchase("u-1", "600", NOON);
        assertThat(purchase("u-1", "400", NOON.plusSeconds(299)).alert()).isNull(); // exactly 1000 in [12:00, 12:05)
        assertThat(purchase("u-1", "1", NOON.plusSeconds(300)).alert()).isNull(); // next window
        assertThat(truth().users().get("u-1").realtimeBalance()).isEqualTo(1601);
    }

    @Test
    void purchaseOfAPausedUserIsWithheldNotLost() {
        purchase("u-1", "1001", NOON);

        final Outcome paused = purchase("u-1", "80.50", NOON.plus(Duration.ofMinutes(30)));
        final Outcome afterPause = purchase("u-1", "20", NOON.plus(Duration.ofHours(1)));

        assertThat(paused.kind()).isEqualTo(Outcome.Kind.PAUSED);
        assertThat(paused.points()).isZero();
        assertThat(paused.withheldPoints()).isEqualTo(80);
        assertThat(afterPause.kind()).isEqualTo(Outcome.Kind.AWARDED); // paused_until is exclusive
        final Truth.UserTruth user = truth().users().get("u-1");
        assertThat(user.realtimeBalance()).isEqualTo(1021);
        assertThat(user.pausedEntries()).isEqualTo(1);
        assertThat(user.withheldPoints()).isEqualTo(80);
        assertThat(user.realtimeEntries()).isEqualTo(3);
        assertThat(user.ledgerBalance()).isEqualTo(1021);
    }

    @Test
    void duplicateTransactionEarnsNothing() {
        final byte[] value = purchaseBytes("t-1", "u-1", "25.90", "s-1", NOON);
        assertThat(oracle.record(TOPICS.purchases(), "u-1", value).points()).isEqualTo(25);

        assertThat(oracle.record(TOPICS.purchases(), "u-1", value).kind()).isEqualTo(Outcome.Kind.DUPLICATE);

        final Truth truth = truth();
        assertThat(truth.users().get("u-1").realtimeBalance()).isEqualTo(25);
        assertThat(truth.users().get("u-1").realtimeEntries()).isEqualTo(1);
        assertThat(truth.users().get("u-1").duplicatesIgnored()).isEqualTo(1);
        assertThat(truth.totals()).containsEntry("duplicates_ignored", 1L);
    }

    @Test
    void latePurchaseIsAwardedButSkipsItsClosedFraudWindow() {
        purchase("u-1", "900", NOON);
        purchase("u-1", "10", NOON.plus(Duration.ofMinutes(20))); // stream time of u-1's partition: 12:20
        assertThat(purchase("u-1", "5", NOON.plus(Duration.ofMinutes(10))).late())
                .isFalse(); // exactly 10 min behind

        final Outcome late = purchase("u-1", "200", NOON.plusSeconds(60)); // 19 min behind, window 12:00 holds 900

        assertThat(late.late()).isTrue();
        assertThat(late.kind()).isEqualTo(Outcome.Kind.AWARDED);
        assertThat(late.alert()).isNull(); // 1100 would cross, but the window has closed
        final Truth.UserTruth user = truth().users().get("u-1");
        assertThat(user.lateEvents()).isEqualTo(1);
        assertThat(user.realtimeBalance()).isEqualTo(1115);
        assertThat(user.fraudAlerts()).isZero();
    }

    @Test
    void streamTimeIsPerPartitionAsKafkasDefaultPartitionerSpreadsKeys() {
        final String first = "u-1";
        String other = null;
        for (int i = 2; other == null; i++) {
            if (TOPICS.partitionOf("u-" + i) != TOPICS.partitionOf(first)) {
                other = "u-" + i;
            }
        }
        for (final String key : new String[] {first, other, "legacy-7", "u-abc-123"}) {
            assertThat(TOPICS.partitionOf(key))
                    .isEqualTo(BuiltInPartitioner.partitionForKey(key.getBytes(StandardCharsets.UTF_8), 4));
        }
        purchase(first, "10", NOON.plus(Duration.ofHours(1)));

        assertThat(purchase(other, "10", NOON).late()).isFalse();
        assertThat(purchase(first, "10", NOON).late()).isTrue();
    }

    @Test
    void promotionsApplyByEventTimeAndStoreHighestWinsEndsAtExclusiveTombstoneWithdraws() {
        final Instant start = NOON;
        final Instant end = NOON.plus(Duration.ofHours(1));
        promotion("p-store", new Promotion("p-store", 3, "s-1", start, end));
        promotion("p-all", new Promotion("p-all", 2, null, start, end));
        promotion("p-gone", new Promotion("p-gone", 5, "s-1", start, end));
        assertThat(oracle.record(TOPICS.promotions(), "p-gone", null).kind()).isEqualTo(Outcome.Kind.WITHDRAWN);

        assertThat(purchaseAt("s-1", "10.99", start.minusMillis(1))).isEqualTo(10);
        assertThat(purchaseAt("s-1", "10.99", start)).isEqualTo(30);
        assertThat(purchaseAt("s-2", "10.99", start)).isEqualTo(20);
        assertThat(purchaseAt("s-1", "10.99", end.minusMillis(1))).isEqualTo(30);
        assertThat(purchaseAt("s-1", "10.99", end)).isEqualTo(10);
    }

    @Test
    void redemptionNeedsTheBalanceAndNeverGoesNegative() {
        purchase("u-1", "100", NOON);

        assertThat(redeem("r-1", "u-1", 150, NOON.plusSeconds(60)).kind()).isEqualTo(Outcome.Kind.REJECTED);
        assertThat(redeem("r-2", "u-1", 100, NOON.plusSeconds(61)).points()).isEqualTo(-100);
        assertThat(redeem("r-3", "u-1", 1, NOON.plusSeconds(62)).kind()).isEqualTo(Outcome.Kind.REJECTED);
        assertThat(redeem("r-2", "u-1", 100, NOON.plusSeconds(61)).kind()).isEqualTo(Outcome.Kind.DUPLICATE);

        final Truth truth = truth();
        final Truth.UserTruth user = truth.users().get("u-1");
        assertThat(user.realtimeBalance()).isZero();
        assertThat(user.redemptionsAccepted()).isEqualTo(1);
        assertThat(user.redemptionsRejected()).isEqualTo(2);
        assertThat(user.realtimeEntries()).isEqualTo(2);
        assertThat(truth.audit()).containsEntry("REALTIME_ONLY", 2L);
    }

    @Test
    void dualRecordedPurchaseIsOneRowWithRealtimePointsAndADifferenceIsAConflict() {
        final String sameTxn = txnOf(purchase("u-1", "25.90", NOON));
        final String otherTxn = txnOf(purchase("u-1", "40", NOON.plusSeconds(10)));
        oracle.legacy(new LegacyOp.InsertMember(7, "m7@example.com", "M Seven", "GOLD", "u-1", NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(70, 7, 25, new BigDecimal("25.90"), "EARN", sameTxn, NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(71, 7, 44, new BigDecimal("40.00"), "EARN", otherTxn, NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(72, 7, 15, null, "ADJUST", null, NOON));

        final Truth truth = truth();

        assertThat(truth.audit())
                .containsEntry("MERGED_DUPLICATE", 1L)
                .containsEntry("CONFLICT", 1L)
                .containsEntry("LEGACY_ONLY", 1L)
                .containsEntry("REALTIME_ONLY", 0L);
        final Truth.UserTruth user = truth.users().get("u-1");
        assertThat(user.realtimeBalance()).isEqualTo(65);
        assertThat(user.ledgerBalance()).isEqualTo(65 + 15); // real-time points win; the legacy-only ADJUST adds
        assertThat(user.ledgerEntries()).isEqualTo(3);
        assertThat(truth.totals()).containsEntry("ledger_rows", 3L);
    }

    @Test
    void legacyUpdateChangesTheRowAndDeleteOfALegacyOnlyRowMakesItVoid() {
        oracle.legacy(new LegacyOp.InsertMember(9, "m9@example.com", "M Nine", "SILVER", null, NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(90, 9, 40, new BigDecimal("40.10"), "EARN", null, NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(91, 9, 30, new BigDecimal("30.00"), "EARN", null, NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(92, 9, -20, null, "REDEEM", null, NOON));

        oracle.legacy(new LegacyOp.UpdateTransactionPoints(91, 35, NOON.plusSeconds(5)));
        oracle.legacy(new LegacyOp.DeleteTransaction(90));

        final Truth truth = truth();
        final Truth.UserTruth member = truth.users().get("legacy-9");
        assertThat(member.ledgerBalance()).isEqualTo(35 - 20);
        assertThat(member.ledgerEntries()).isEqualTo(3);
        assertThat(member.voidEntries()).isEqualTo(1);
        assertThat(member.realtimeBalance()).isZero();
        assertThat(truth.audit()).containsEntry("LEGACY_ONLY", 3L);
        assertThat(truth.totals()).containsEntry("ledger_void_rows", 1L).containsEntry("legacy_transactions_live", 2L);
    }

    @Test
    void badRecordsGoToTheirTopicsDeadLetterQueue() {
        final String time = NOON.toString();
        bad(TOPICS.purchases(), "{\"transaction_id\":\"t-9\",\"user_id\":\"u-1\",\"amount\":");
        bad(
                TOPICS.purchases(),
                "{\"transaction_id\":\"t-9\",\"user_id\":\"u-1\",\"amount\":\"1.234\","
                        + "\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}");
        bad(
                TOPICS.purchases(),
                "{\"transaction_id\":\"t-9\",\"user_id\":\"u-1\",\"amount\":\"5.00\","
                        + "\"currency\":\"EUR\",\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}");
        bad(
                TOPICS.purchases(),
                "{\"transaction_id\":\"t-9\",\"user_id\":\"u-1\",\"amount\":0,"
                        + "\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}");
        bad(
                TOPICS.redemptions(),
                "{\"redemption_id\":\"r-9\",\"user_id\":\"u-1\",\"points\":\"lots\"," + "\"event_time\":\"" + time
                        + "\"}");
        bad(TOPICS.promotions(), "{\"promo_id\":\"p-9\",\"multiplier\":\"double\"}");
        // the same transaction_id sent validly afterwards is not a duplicate: the bad ones were never accepted
        assertThat(oracle.record(TOPICS.purchases(), "u-1", purchaseBytes("t-9", "u-1", "1.23", "s-1", NOON))
                        .kind())
                .isEqualTo(Outcome.Kind.AWARDED);

        assertThat(truth().deadLetters())
                .containsEntry("purchase_events.dlq", 4L)
                .containsEntry("redemption_events.dlq", 1L)
                .containsEntry("promotions.dlq", 1L);
    }

    @Test
    void idsAreGlobalAReuseUnderAnotherUserIsADeadLetterAndLeavesTheFirstEntry() {
        assertThat(oracle.record(TOPICS.purchases(), "u-1", purchaseBytes("t-first", "u-1", "25.90", "s-1", NOON))
                        .points())
                .isEqualTo(25);
        purchase("u-3", "400", NOON);
        assertThat(redeem("r-1", "u-3", 100, NOON.plusSeconds(1)).kind()).isEqualTo(Outcome.Kind.REDEEMED);

        final Outcome reused = oracle.record(
                TOPICS.purchases(), "u-2", purchaseBytes("t-first", "u-2", "99", "s-1", NOON.plusSeconds(5)));
        final Outcome reusedRedemption = redeem("r-1", "u-2", 10, NOON.plusSeconds(6));

        assertThat(reused.kind()).isEqualTo(Outcome.Kind.DEAD_LETTER);
        assertThat(reused.reason()).contains("already accepted");
        assertThat(reusedRedemption.kind()).isEqualTo(Outcome.Kind.DEAD_LETTER);
        final Truth truth = truth();
        assertThat(truth.users().get("u-1").realtimeBalance()).isEqualTo(25);
        assertThat(truth.users().get("u-1").ledgerEntries()).isEqualTo(1);
        assertThat(truth.users()).doesNotContainKey("u-2");
        assertThat(truth.deadLetters())
                .containsEntry("purchase_events.dlq", 1L)
                .containsEntry("redemption_events.dlq", 1L);
        assertThat(truth.totals()).containsEntry("cross_user_duplicates", 2L).containsEntry("duplicates_ignored", 0L);
    }

    @Test
    void idsWithWhiteSpaceOrControlCharactersAreBadInputSoTwoSpellingsCannotBothEarn() {
        assertThat(oracle.record(TOPICS.purchases(), "u-1", purchaseBytes("t-1", "u-1", "10", "s-1", NOON))
                        .kind())
                .isEqualTo(Outcome.Kind.AWARDED);
        for (final String id : new String[] {"t-1 ", " t-1", "\tt-1", "t-1\u0000", "t\u00071", "x".repeat(257), ""}) {
            assertThat(oracle.record(TOPICS.purchases(), "u-1", purchaseBytes(id, "u-1", "10", "s-1", NOON))
                            .kind())
                    .as("transaction_id '%s'", id)
                    .isEqualTo(Outcome.Kind.DEAD_LETTER);
        }
        assertThat(oracle.record(TOPICS.purchases(), "u-1 ", purchaseBytes("t-2", "u-1 ", "10", "s-1", NOON))
                        .kind())
                .isEqualTo(Outcome.Kind.DEAD_LETTER);
        assertThat(oracle.record(
                                TOPICS.purchases(),
                                "u-1",
                                purchaseBytes("t-" + "x".repeat(254), "u-1", "10", "s-1", NOON))
                        .kind())
                .isEqualTo(Outcome.Kind.AWARDED); // 256 characters is still an id

        assertThat(truth().users().get("u-1").realtimeBalance()).isEqualTo(20);
        assertThat(truth().totals()).containsEntry("bad_ids", 7L); // the empty id is refused as missing
    }

    @Test
    void theUserInThePayloadOwnsARecordWhateverPartitionItWasProducedTo() {
        final int owner = TOPICS.partitionOf("u-1");
        final byte[] first = purchaseBytes("t-1", "u-1", "10", "s-1", NOON);
        assertThat(oracle.record(TOPICS.purchases(), "u-1", (owner + 1) % 4, first, NOON)
                        .kind())
                .isEqualTo(Outcome.Kind.AWARDED);
        assertThat(oracle.record(
                                TOPICS.purchases(),
                                "u-1",
                                (owner + 2) % 4,
                                purchaseBytes("t-2", "u-1", "20", "s-1", NOON.plusSeconds(1)),
                                NOON.plusSeconds(1))
                        .kind())
                .isEqualTo(Outcome.Kind.AWARDED);
        assertThat(oracle.record(TOPICS.purchases(), "u-1", owner, first, NOON.plusSeconds(2))
                        .kind())
                .isEqualTo(Outcome.Kind.DUPLICATE);

        final Truth truth = truth();
        assertThat(truth.users().get("u-1").realtimeBalance()).isEqualTo(30);
        assertThat(truth.users().get("u-1").realtimeEntries()).isEqualTo(2);
        assertThat(truth.totals()).containsEntry("wrong_partition_records", 2L);
    }

    @Test
    void aRecordDatedAheadOfTheClockDoesNotMakeOtherUsersOnTimePurchasesLate() {
        final String other = otherUserOnThePartitionOf("u-1");
        purchaseReceived("u-1", "10", NOON, NOON);
        // 40 minutes ahead, inside the 1 h skew: awarded, but stream time stays at the receiving clock
        assertThat(purchaseReceived("u-1", "10", NOON.plus(Duration.ofMinutes(40)), NOON)
                        .kind())
                .isEqualTo(Outcome.Kind.AWARDED);

        assertThat(purchaseReceived(other, "10", NOON.plusSeconds(30), NOON.plusSeconds(30))
                        .late())
                .isFalse();
        assertThat(purchaseReceived(other, "10", NOON.minus(Duration.ofMinutes(11)), NOON.plusSeconds(40))
                        .late())
                .isTrue();
        // more than the skew ahead is bad input
        assertThat(purchaseReceived(other, "10", NOON.plus(Duration.ofMinutes(61)), NOON)
                        .kind())
                .isEqualTo(Outcome.Kind.DEAD_LETTER);
        assertThat(truth().totals()).containsEntry("late_events", 1L).containsEntry("future_dated_records", 1L);
    }

    @Test
    void aMemberDeletedWithItsTransactionsLeavesVoidRowsForItsUser() {
        oracle.legacy(new LegacyOp.InsertMember(5, "m5@example.com", "M Five", "GOLD", null, NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(50, 5, 40, new BigDecimal("40.00"), "EARN", null, NOON));
        oracle.legacy(new LegacyOp.InsertTransaction(51, 5, 15, null, "ADJUST", null, NOON));

        oracle.legacy(new LegacyOp.DeleteMember(5));

        final Truth truth = truth();
        final Truth.UserTruth member = truth.users().get("legacy-5");
        assertThat(member.ledgerBalance()).isZero();
        assertThat(member.ledgerEntries()).isEqualTo(2);
        assertThat(member.voidEntries()).isEqualTo(2);
        assertThat(truth.audit()).containsEntry("LEGACY_ONLY", 2L);
        assertThat(truth.totals()).containsEntry("legacy_members_deleted", 1L).containsEntry("ledger_void_rows", 2L);
    }

    @Test
    void hostileRecordsAreDeadLetters() {
        final String time = NOON.toString();
        bad(
                TOPICS.purchases(),
                "[{\"transaction_id\":\"t-9\",\"user_id\":\"u-1\",\"amount\":\"5\",\"currency\":\"USD\","
                        + "\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}]");
        bad(
                TOPICS.purchases(),
                "{\"transaction_id\":\"t-9\",\"user_id\":\"u-1\",\"amount\":1e400,\"currency\":\"USD\","
                        + "\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"}");
        bad(TOPICS.purchases(), "{\"n\":" + "[".repeat(20_000) + "]".repeat(20_000) + "}");
        bad(
                TOPICS.purchases(),
                "{\"transaction_id\":\"t-9\",\"user_id\":\"u-1\",\"amount\":\"5\",\"currency\":\"USD\","
                        + "\"store_id\":\"s-1\",\"event_time\":\"" + time + "\"} trailing");
        bad(
                TOPICS.redemptions(),
                "{\"redemption_id\":\"r-9\",\"user_id\":\"u-1\",\"points\":99999999999999999999," + "\"event_time\":\""
                        + time + "\"}");
        bad(
                TOPICS.redemptions(),
                "{\"redemption_id\":\"r-9\",\"user_id\":\"u-1\",\"points\":-500," + "\"event_time\":\"" + time + "\"}");
        bad(
                TOPICS.promotions(),
                "{\"promo_id\":\"p-9\",\"multiplier\":1e9,\"store_id\":null,"
                        + "\"starts_at\":\"2001-01-01T00:00:00Z\",\"ends_at\":\"2001-01-02T00:00:00Z\"}");

        assertThat(truth().deadLetters())
                .containsEntry("purchase_events.dlq", 4L)
                .containsEntry("redemption_events.dlq", 2L)
                .containsEntry("promotions.dlq", 1L);
    }

    private Outcome purchaseReceived(final String user, final String amount, final Instant at, final Instant received) {
        return oracle.record(
                TOPICS.purchases(),
                user,
                null,
                purchaseBytes("t-" + (++transactions), user, amount, "s-1", at),
                received);
    }

    private static String otherUserOnThePartitionOf(final String user) {
        for (int i = 2; ; i++) {
            if (TOPICS.partitionOf("u-" + i) == TOPICS.partitionOf(user)) {
                return "u-" + i;
            }
        }
    }

    private Outcome purchase(final String user, final String amount, final Instant at) {
        return oracle.record(TOPICS.purchases(), user, purchaseBytes("t-" + (++transactions), user, amount, "s-1", at));
    }

    private long purchaseAt(final String store, final String amount, final Instant at) {
        return oracle.record(
                        TOPICS.purchases(), "u-p", purchaseBytes("t-" + (++transactions), "u-p", amount, store, at))
                .points();
    }

    private String txnOf(final Outcome outcome) {
        assertThat(outcome.kind()).isEqualTo(Outcome.Kind.AWARDED);
        return "t-" + transactions;
    }

    private Outcome redeem(final String id, final String user, final long points, final Instant at) {
        return oracle.record(TOPICS.redemptions(), user, Json.toBytes(new RedemptionEvent(id, user, points, at)));
    }

    private void promotion(final String id, final Promotion promotion) {
        assertThat(oracle.record(TOPICS.promotions(), id, Json.toBytes(promotion))
                        .kind())
                .isEqualTo(Outcome.Kind.PROMOTION);
    }

    private void bad(final String topic, final String json) {
        assertThat(oracle.record(topic, "u-1", json.getBytes(StandardCharsets.UTF_8))
                        .kind())
                .isEqualTo(Outcome.Kind.DEAD_LETTER);
    }

    private static byte[] purchaseBytes(
            final String txn, final String user, final String amount, final String store, final Instant at) {
        return Json.toBytes(new PurchaseEvent(txn, user, new BigDecimal(amount), "USD", store, at));
    }

    private Truth truth() {
        return oracle.truth(new Truth.Run(
                "test",
                1,
                0,
                NOON,
                NOON,
                true,
                true,
                TOPICS.purchases(),
                TOPICS.redemptions(),
                TOPICS.promotions(),
                TOPICS.partitions(),
                "legacy",
                1,
                100));
    }
}
