package io.loyaltylakehouse.edge.topology;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.common.topic.Topic;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import io.loyaltylakehouse.edge.model.Account;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.processor.PointsAccrualProcessor;
import io.loyaltylakehouse.edge.processor.PromotionsApplied;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The points topology on a {@link TopologyTestDriver}: raw JSON in, contract messages out. */
final class AccrualHarness implements AutoCloseable {
    /** Kafka's default producer limit, no topic limits known. */
    static final DeadLetterLimits LIMITS = new DeadLetterLimits(1024 * 1024, Map.of());

    final EdgeCounters counters = new EdgeCounters(new Metrics("edge_"), List.of());
    final PromotionsApplied promotionsApplied = new PromotionsApplied();
    final TopologyTestDriver driver;
    final TestInputTopic<String, String> purchases;
    final TestInputTopic<String, String> redemptions;
    final TestInputTopic<String, String> promotions;
    private final TestOutputTopic<String, LedgerEntry> ledger;
    private final TestOutputTopic<String, BalanceUpdate> balances;
    private final TestOutputTopic<String, FraudAlert> alerts;
    private final TestOutputTopic<String, LateEvent> late;
    private final TestOutputTopic<String, RedemptionResult> results;
    private final TestOutputTopic<String, DeadLetter> purchaseDlq;
    private final TestOutputTopic<String, DeadLetter> redemptionDlq;

    private final Instant wallClock;

    /** Records piped without a timestamp of their own are produced at {@code wallClock}, when the driver starts. */
    AccrualHarness(final EdgeStreamsConfig config, final Instant wallClock) {
        this.wallClock = wallClock;
        driver = new TopologyTestDriver(
                PointsAccrualTopology.build(config, counters, LIMITS, promotionsApplied),
                config.streamsProperties(0),
                wallClock);
        final EdgeTopics topics = config.topics();
        purchases = input(topics.purchaseEvents());
        redemptions = input(topics.redemptionEvents());
        promotions = input(topics.promotions());
        ledger = output(topics.pointsLedger());
        balances = output(topics.loyaltyPointsRealtime());
        alerts = output(topics.fraudAlerts());
        late = output(topics.lateEvents());
        results = output(topics.redemptionResults());
        purchaseDlq = output(Topics.deadLettersOf(topics.purchaseEvents()));
        redemptionDlq = output(Topics.deadLettersOf(topics.redemptionEvents()));
    }

    /** Inputs take raw JSON text: the tests send bad records too, which no typed serializer would write. */
    TestInputTopic<String, String> input(final Topic<String, ?> topic) {
        return driver.createInputTopic(
                topic.name(), new StringSerializer(), new StringSerializer(), wallClock, Duration.ZERO);
    }

    /** Outputs are read with the topic's own serdes, as every consumer reads them. */
    <V> TestOutputTopic<String, V> output(final Topic<String, V> topic) {
        return driver.createOutputTopic(
                topic.name(),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer());
    }

    List<LedgerEntry> ledger() {
        return ledger.readValuesToList();
    }

    List<BalanceUpdate> balances() {
        return balances.readValuesToList();
    }

    List<FraudAlert> alerts() {
        return alerts.readValuesToList();
    }

    List<LateEvent> lateEvents() {
        return late.readValuesToList();
    }

    List<RedemptionResult> results() {
        return results.readValuesToList();
    }

    List<DeadLetter> purchaseDeadLetters() {
        return purchaseDlq.readValuesToList();
    }

    List<DeadLetter> redemptionDeadLetters() {
        return redemptionDlq.readValuesToList();
    }

    /** True when every output topic has been read to the end. */
    boolean allOutputsRead() {
        return List.of(ledger, balances, alerts, late, results, purchaseDlq, redemptionDlq).stream()
                .allMatch(TestOutputTopic::isEmpty);
    }

    Account account(final String userId) {
        final KeyValueStore<String, Account> accounts = driver.getKeyValueStore(PointsAccrualProcessor.ACCOUNTS_STORE);
        return accounts.get(userId);
    }

    @Override
    public void close() {
        driver.close();
    }
}
