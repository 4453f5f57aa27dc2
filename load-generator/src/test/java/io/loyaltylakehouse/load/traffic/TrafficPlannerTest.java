package io.loyaltylakehouse.load.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.load.oracle.GroundTruthOracle;
import io.loyaltylakehouse.load.oracle.Rules;
import io.loyaltylakehouse.load.oracle.TopicLayout;
import io.loyaltylakehouse.load.oracle.Truth;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner with the shipped mix: deterministic by seed, every kind of traffic present, truth replayable. */
class TrafficPlannerTest {
    private static final TopicLayout TOPICS = new TopicLayout("purchase_events", "redemption_events", "promotions", 4);
    private static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    private static final TrafficMix MIX = TrafficMix.from(Settings.defaults("load-generator"));

    private record Run(List<Action> actions, Truth truth) {}

    @Test
    void sameSeedGivesTheSameTrafficAndTruthAnotherSeedDoesNot() {
        final Run first = run(plan(7, 5_000, true, true));
        final Run again = run(plan(7, 5_000, true, true));
        final Run other = run(plan(8, 5_000, true, true));

        assertThat(describe(again.actions())).isEqualTo(describe(first.actions()));
        assertThat(Json.toJson(again.truth())).isEqualTo(Json.toJson(first.truth()));
        assertThat(describe(other.actions())).isNotEqualTo(describe(first.actions()));
    }

    @Test
    void theMixHasEveryKindOfTrafficTheContractTalksAbout() {
        final Run run = run(plan(42, 20_000, true, true));
        final Truth truth = run.truth();

        assertThat(run.actions()).hasSize(20_000);
        assertThat(truth.totals())
                .hasEntrySatisfying("late_events", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "duplicates_ignored", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "redemption_duplicates_ignored",
                        count -> assertThat(count).isPositive())
                .hasEntrySatisfying("fraud_alerts", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "purchases_paused", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "redemptions_accepted", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "redemptions_rejected", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "promotion_withdrawals", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "ledger_void_rows", count -> assertThat(count).isPositive())
                .hasEntrySatisfying(
                        "legacy_members_updated", count -> assertThat(count).isPositive())
                .containsEntry("cross_user_duplicates", 3L)
                .containsEntry("bad_ids", 4L)
                .containsEntry("wrong_partition_records", 4L)
                .containsEntry("future_dated_records", 1L)
                .containsEntry("legacy_members_deleted", 1L);
        assertThat(truth.deadLetters().values())
                .allSatisfy(count -> assertThat(count).isPositive());
        assertThat(truth.audit().values()).allSatisfy(count -> assertThat(count).isPositive());
        // repeat customers: the most active user has many more events than the median one
        assertThat(truth.users().values().stream()
                        .mapToLong(Truth.UserTruth::realtimeEntries)
                        .max()
                        .orElseThrow())
                .isGreaterThan(50);
    }

    @Test
    void promotionsComeFirstAndSomeAreAnnouncedOrWithdrawnDuringTheRun() {
        final List<Action> actions = run(plan(3, 20_000, true, false)).actions();
        final int firstOther = java.util.stream.IntStream.range(0, actions.size())
                .filter(i -> !(actions.get(i) instanceof Action.Send send
                        && send.topic().equals(TOPICS.promotions())))
                .findFirst()
                .orElseThrow();

        assertThat(firstOther).isPositive();
        final long duringRun = actions.subList(firstOther, actions.size()).stream()
                .filter(action -> action instanceof Action.Send send
                        && send.topic().equals(TOPICS.promotions())
                        && send.kind() != Action.Kind.BAD_RECORD)
                .count();
        assertThat(duringRun).isPositive();
    }

    @Test
    void aFreshOracleReplayingWhatWasSentComputesTheSameTruth() {
        final Run run = run(plan(11, 8_000, true, true));
        final GroundTruthOracle replay = new GroundTruthOracle(Rules.CONTRACT, TOPICS);
        for (final Action action : run.actions()) {
            if (action instanceof Action.Send send) {
                replay.record(send.topic(), send.key(), send.partition(), send.value(), send.receivedAt());
            } else if (action instanceof Action.LegacyWrite write) {
                replay.legacy(write.op());
            }
        }

        assertThat(Json.toJson(replay.truth(run.truth().run()))).isEqualTo(Json.toJson(run.truth()));
    }

    @Test
    void balancesNeverGoNegativeAndTheUnifiedLedgerAddsOnlyLegacyRows() {
        final Truth truth = run(plan(5, 20_000, true, true)).truth();

        assertThat(truth.users().values()).allSatisfy(user -> {
            assertThat(user.realtimeBalance()).isNotNegative();
            assertThat(user.ledgerBalance()).isNotNegative();
            assertThat(user.ledgerEntries()).isEqualTo(user.realtimeEntries() + user.legacyEntries());
        });
        assertThat(truth.totals().get("ledger_balance_total"))
                .isEqualTo(truth.users().values().stream()
                        .mapToLong(Truth.UserTruth::ledgerBalance)
                        .sum());
    }

    @Test
    void realtimeOnlyAndLegacyOnlyRunsTouchOneSide() {
        assertThat(run(plan(1, 2_000, true, false)).actions()).noneMatch(Action.LegacyWrite.class::isInstance);
        assertThat(run(plan(1, 2_000, false, true)).actions()).allMatch(Action.LegacyWrite.class::isInstance);
    }

    @Test
    void eventTimesAdvanceWithTheSpacing() {
        final TrafficPlanner planner =
                new TrafficPlanner(plan(2, 3_600, true, true), new GroundTruthOracle(Rules.CONTRACT, TOPICS));
        while (planner.hasNext()) {
            planner.next();
        }

        assertThat(Duration.between(START, planner.clock())).isBetween(Duration.ofMinutes(50), Duration.ofMinutes(75));
    }

    /** Timeline starts a run events x spacing before now: a run that ended much later would wait for the clock. */
    @Test
    void aRunEndsWithinAMinuteOfEventsTimesTheSpacing() {
        for (final TrafficPlan plan :
                List.of(plan(3, 1_500, true, false), plan(11, 4_000, true, true), plan(1, 10_000, true, true))) {
            final TrafficPlanner planner = new TrafficPlanner(plan, new GroundTruthOracle(Rules.CONTRACT, TOPICS));
            while (planner.hasNext()) {
                planner.next();
            }

            assertThat(Duration.between(START, planner.clock())
                            .minus(plan.spacing().multipliedBy(plan.events())))
                    .as("seed %d, %d events", plan.seed(), plan.events())
                    .isBetween(Duration.ofMinutes(-1), Duration.ofMinutes(1));
        }
    }

    /** The shortest spacing Timeline gives a run behind earlier runs: 4,000 events span 80 s of event time. */
    @Test
    void aRunSqueezedIntoAMinuteStillHasEveryPlantedCase() {
        final Truth truth =
                run(plan(11, 4_000, true, true, Duration.ofMillis(20))).truth();

        assertThat(truth.totals())
                .containsEntry("cross_user_duplicates", 3L)
                .containsEntry("bad_ids", 4L)
                .containsEntry("wrong_partition_records", 4L)
                .containsEntry("future_dated_records", 1L)
                .containsEntry("legacy_members_deleted", 1L);
    }

    private static TrafficPlan plan(final long seed, final long events, final boolean realtime, final boolean legacy) {
        return plan(seed, events, realtime, legacy, Duration.ofSeconds(1));
    }

    private static TrafficPlan plan(
            final long seed, final long events, final boolean realtime, final boolean legacy, final Duration spacing) {
        return new TrafficPlan(
                seed,
                events,
                "test",
                START,
                spacing,
                TrafficPlan.defaultUsers(events),
                0.7,
                25,
                realtime,
                legacy,
                1,
                1,
                MIX,
                true);
    }

    private static Run run(final TrafficPlan plan) {
        final GroundTruthOracle oracle = new GroundTruthOracle(Rules.CONTRACT, TOPICS);
        final TrafficPlanner planner = new TrafficPlanner(plan, oracle);
        final List<Action> actions = new ArrayList<>();
        while (planner.hasNext()) {
            actions.add(planner.next());
        }
        return new Run(
                actions,
                oracle.truth(new Truth.Run(
                        plan.runId(),
                        plan.seed(),
                        plan.events(),
                        plan.start(),
                        planner.clock(),
                        true,
                        true,
                        TOPICS.purchases(),
                        TOPICS.redemptions(),
                        TOPICS.promotions(),
                        TOPICS.partitions(),
                        "legacy",
                        plan.txnIdBase(),
                        planner.nextTxnId() - 1)));
    }

    private static List<String> describe(final List<Action> actions) {
        return actions.stream()
                .map(action -> action instanceof Action.Send send
                        ? send.topic() + "/" + send.key() + "/" + send.partition() + "/"
                                + (send.value() == null ? "null" : Arrays.toString(send.value()))
                        : action.toString())
                .toList();
    }
}
