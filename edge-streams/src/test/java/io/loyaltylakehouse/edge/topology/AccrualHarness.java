package io.loyaltylakehouse.edge.topology;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import io.loyaltylakehouse.edge.model.Account;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.processor.PointsAccrualProcessor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
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
    final TopologyTestDriver driver;
    final TestInputTopic<String, String> purchases;
    final TestInputTopic<String, String> redemptions;
    final TestInputTopic<String, String> promotions;
    private final TestOutputTopic<String, String> ledger;
    private final TestOutputTopic<String, String> balances;
    private final TestOutputTopic<String, String> alerts;
    private final TestOutputTopic<String, String> late;
    private final TestOutputTopic<String, String> results;
    private final TestOutputTopic<String, String> purchaseDlq;
    private final TestOutputTopic<String, String> redemptionDlq;

    private final Instant wallClock;

    /** Records piped without a timestamp of their own are produced at {@code wallClock}, when the driver starts. */
    AccrualHarness(final EdgeStreamsConfig config, final Instant wallClock) {
        this.wallClock = wallClock;
        driver = new TopologyTestDriver(
                PointsAccrualTopology.build(config, counters, LIMITS), config.streamsProperties(0), wallClock);
        final EdgeTopics topics = config.topics();
        purchases = input(topics.purchaseEvents());
        redemptions = input(topics.redemptionEvents());
        promotions = input(topics.promotions());
        ledger = output(topics.pointsLedger());
        balances = output(topics.loyaltyPointsRealtime());
        alerts = output(topics.fraudAlerts());
        late = output(topics.lateEvents());
        results = output(topics.redemptionResults());
        purchaseDlq = output(Topics.deadLetterOf(topics.purchaseEvents()));
        redemptionDlq = output(Topics.deadLetterOf(topics.redemptionEvents()));
    }

    TestInputTopic<String, String> input(final String topic) {
        return driver.createInputTopic(topic, new StringSerializer(), new StringSerializer(), wallClock, Duration.ZERO);
    }

    TestOutputTopic<String, String> output(final String topic) {
        return driver.createOutputTopic(topic, new StringDeserializer(), new StringDeserializer());
    }

    List<LedgerEntry> ledger() {
        return read(ledger, LedgerEntry.class);
    }

    List<BalanceUpdate> balances() {
        return read(balances, BalanceUpdate.class);
    }

    List<FraudAlert> alerts() {
        return read(alerts, FraudAlert.class);
    }

    List<LateEvent> lateEvents() {
        return read(late, LateEvent.class);
    }

    List<RedemptionResult> results() {
        return read(results, RedemptionResult.class);
    }

    List<DeadLetter> purchaseDeadLetters() {
        return read(purchaseDlq, DeadLetter.class);
    }

    List<DeadLetter> redemptionDeadLetters() {
        return read(redemptionDlq, DeadLetter.class);
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

    private static <T> List<T> read(final TestOutputTopic<String, String> topic, final Class<T> type) {
        return topic.readValuesToList().stream()
                .map(json -> Json.fromJson(json, type))
                .toList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
