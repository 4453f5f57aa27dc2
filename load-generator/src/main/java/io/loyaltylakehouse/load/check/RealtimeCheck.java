package io.loyaltylakehouse.load.check;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.topic.Topic;
import io.loyaltylakehouse.load.kafka.TopicReader;
import io.loyaltylakehouse.load.oracle.Truth;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares a run's ground truth with what edge-streams wrote (committed records only): the latest balance per user on
 * {@code loyalty_points_realtime}, ledger entries, paused entries and withheld points, fraud alerts, late events,
 * redemption results, and the run's dead letters per input topic (recognized by the run id in their raw text).
 * {@code java ... RealtimeCheck <truth.json> [wait]} re-reads until everything matches or {@code wait} (default 60s)
 * has passed; exit code 0 when it matches, 1 with the differences otherwise.
 */
public final class RealtimeCheck {

    /** What edge-streams shows for the run's users, as counts comparable with {@link Truth.UserTruth}. */
    record Observed(
            Map<String, Long> balances,
            Map<String, Instant> pausedUntil,
            Map<String, Long> entries,
            Map<String, Long> paused,
            Map<String, Long> withheld,
            Map<String, Long> alerts,
            Map<String, Long> late,
            Map<String, Long> accepted,
            Map<String, Long> rejected,
            Map<String, Long> deadLetters) {

        static Observed empty() {
            return new Observed(
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>(),
                    new HashMap<>());
        }
    }

    private RealtimeCheck() {}

    public static void main(final String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: RealtimeCheck <truth.json> [wait, e.g. 60s]");
            System.exit(2);
        }
        final Truth truth = Truth.read(Path.of(args[0]));
        final Duration wait = args.length > 1 ? Duration.parse("PT" + args[1].toUpperCase()) : Duration.ofSeconds(60);
        final List<String> differences = await(Settings.load("load-generator"), truth, wait);
        differences.forEach(System.out::println);
        System.out.println(
                differences.isEmpty()
                        ? "OK: edge-streams matches the ground truth of run "
                                + truth.run().runId() + " for " + truth.users().size() + " users"
                        : differences.size() + " differences from the ground truth of run "
                                + truth.run().runId());
        System.exit(differences.isEmpty() ? 0 : 1);
    }

    /** Reads and compares until there is no difference or {@code wait} has passed; the last differences. */
    public static List<String> await(final Settings settings, final Truth truth, final Duration wait)
            throws InterruptedException {
        return UntilEqual.await(() -> differences(settings, truth), wait, Duration.ofSeconds(2));
    }

    /** Every difference between the truth and what edge-streams wrote now, one line each (empty when they agree). */
    public static List<String> differences(final Settings settings, final Truth truth) {
        return differences(truth, observe(settings, truth));
    }

    /** Every difference between the truth and what was observed, one line each (empty when they agree). */
    static List<String> differences(final Truth truth, final Observed observed) {
        final List<String> out = new ArrayList<>();
        truth.users().forEach((user, expected) -> {
            compare(
                    out,
                    user,
                    "balance",
                    expected.realtimeBalance(),
                    observed.balances().getOrDefault(user, 0L));
            if (observed.balances().containsKey(user)
                    && !Objects.equals(
                            expected.pausedUntil(), observed.pausedUntil().get(user))) {
                out.add(user + ": paused_until expected " + expected.pausedUntil() + " but was "
                        + observed.pausedUntil().get(user));
            }
            compare(
                    out,
                    user,
                    "ledger entries",
                    expected.realtimeEntries(),
                    observed.entries().getOrDefault(user, 0L));
            compare(
                    out,
                    user,
                    "paused entries",
                    expected.pausedEntries(),
                    observed.paused().getOrDefault(user, 0L));
            compare(
                    out,
                    user,
                    "withheld points",
                    expected.withheldPoints(),
                    observed.withheld().getOrDefault(user, 0L));
            compare(
                    out,
                    user,
                    "fraud alerts",
                    expected.fraudAlerts(),
                    observed.alerts().getOrDefault(user, 0L));
            compare(
                    out,
                    user,
                    "late events",
                    expected.lateEvents(),
                    observed.late().getOrDefault(user, 0L));
            compare(
                    out,
                    user,
                    "redemptions accepted",
                    expected.redemptionsAccepted(),
                    observed.accepted().getOrDefault(user, 0L));
            compare(
                    out,
                    user,
                    "redemptions rejected",
                    expected.redemptionsRejected(),
                    observed.rejected().getOrDefault(user, 0L));
        });
        truth.deadLetters()
                .forEach((topic, expected) -> compare(
                        out,
                        topic,
                        "dead letters",
                        expected,
                        observed.deadLetters().getOrDefault(topic, 0L)));
        return out;
    }

    private static void compare(
            final List<String> out, final String subject, final String what, final long expected, final long actual) {
        if (expected != actual) {
            out.add(subject + ": " + what + " expected " + expected + " but was " + actual);
        }
    }

    static Observed observe(final Settings settings, final Truth truth) {
        try (TopicReader reader = new TopicReader(KafkaClients.config(settings), true)) {
            return observe(settings, truth, reader);
        }
    }

    private static Observed observe(final Settings settings, final Truth truth, final TopicReader reader) {
        final Observed observed = Observed.empty();
        final Map<String, Truth.UserTruth> users = truth.users();
        reader.readValues(
                Topics.LOYALTY_POINTS_REALTIME.configured(settings, "load.check.topic.loyalty-points-realtime"),
                update -> {
                    if (users.containsKey(update.userId())) {
                        observed.balances().put(update.userId(), update.balance());
                        if (update.pausedUntil() == null) {
                            observed.pausedUntil().remove(update.userId());
                        } else {
                            observed.pausedUntil().put(update.userId(), update.pausedUntil());
                        }
                    }
                });
        reader.readValues(Topics.POINTS_LEDGER.configured(settings, "load.check.topic.points-ledger"), entry -> {
            if (users.containsKey(entry.userId())) {
                observed.entries().merge(entry.userId(), 1L, Long::sum);
                if (entry.status() == LedgerEntry.LedgerStatus.PAUSED) {
                    observed.paused().merge(entry.userId(), 1L, Long::sum);
                    observed.withheld().merge(entry.userId(), entry.withheldPoints(), Long::sum);
                }
            }
        });
        reader.readValues(Topics.FRAUD_ALERTS.configured(settings, "load.check.topic.fraud-alerts"), alert -> {
            if (users.containsKey(alert.userId())) {
                observed.alerts().merge(alert.userId(), 1L, Long::sum);
            }
        });
        reader.readValues(Topics.LATE_EVENTS.configured(settings, "load.check.topic.late-events"), late -> {
            if (users.containsKey(late.userId())) {
                observed.late().merge(late.userId(), 1L, Long::sum);
            }
        });
        reader.readValues(
                Topics.REDEMPTION_RESULTS.configured(settings, "load.check.topic.redemption-results"), result -> {
                    if (users.containsKey(result.userId())) {
                        (result.status() == RedemptionResult.Status.ACCEPTED
                                        ? observed.accepted()
                                        : observed.rejected())
                                .merge(result.userId(), 1L, Long::sum);
                    }
                });
        final String marker = truth.run().runId();
        for (final Topic<String, ?> input : List.of(
                Topics.PURCHASE_EVENTS.named(truth.run().purchasesTopic()),
                Topics.REDEMPTION_EVENTS.named(truth.run().redemptionsTopic()),
                Topics.PROMOTIONS.named(truth.run().promotionsTopic()))) {
            final Topic<String, DeadLetter> dlq = Topics.deadLettersOf(input);
            reader.readValues(dlq, letter -> {
                if (letter.raw() != null && letter.raw().contains(marker)) {
                    observed.deadLetters().merge(dlq.name(), 1L, Long::sum);
                }
            });
        }
        return observed;
    }
}
