package io.loyaltylakehouse.edge.it;

import static org.awaitility.Awaitility.await;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.topic.Topic;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every edge-streams IT needs on the shared test broker: topics of its own (a random prefix), a producer
 * that waits for the broker's acknowledgement, and instances started as child JVMs on those topics.
 */
abstract class EdgeStreamsItBase {
    static String bootstrap;

    @TempDir
    Path work;

    String prefix;
    EdgeTopics topics;
    Admin admin;
    KafkaProducer<String, String> producer;
    final List<EdgeProcess> instances = new ArrayList<>();
    private final List<Future<RecordMetadata>> unconfirmed = new ArrayList<>();
    private List<NewTopic> newTopics;

    @BeforeAll
    static void broker() {
        bootstrap = TestBroker.bootstrap();
    }

    @BeforeEach
    void createTopics() throws Exception {
        prefix = "it-edge-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        topics = EdgeTopics.contract().withPrefix(prefix);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        newTopics = new ArrayList<>();
        for (final Topics.Spec spec : Topics.all()) {
            final NewTopic topic = new NewTopic(prefix + spec.name(), spec.partitions(), (short) 1);
            newTopics.add(
                    spec.compacted()
                            ? topic.configs(
                                    Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                            : topic);
        }
        admin.createTopics(newTopics).all().get();
        awaitLeaders();
        producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        // more than the 2 min default (one CI run saw a partition of fresh topics unanswered that
                        // long): a stalled shared broker fails the test only if it never answers
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        (int) Duration.ofMinutes(5).toMillis()),
                new StringSerializer(),
                new StringSerializer());
    }

    @AfterEach
    void cleanUp() throws Exception {
        instances.forEach(EdgeProcess::close);
        producer.close();
        final Set<String> ours = admin.listTopics().names().get().stream()
                .filter(name -> name.startsWith(prefix))
                .collect(Collectors.toSet());
        admin.deleteTopics(ours).all().get();
        // Best effort: a group that never committed does not exist.
        admin.deleteConsumerGroups(List.of(prefix + "app", prefix + "app-promotions-dlq"))
                .all()
                .toCompletionStage()
                .exceptionally(error -> null)
                .toCompletableFuture()
                .get();
        admin.close();
    }

    EdgeProcess startInstance(final String stateDir, final String log) {
        final Map<String, String> settings = new HashMap<>(Map.of(
                "kafka.bootstrap",
                bootstrap,
                "edge.application.id",
                prefix + "app",
                "edge.state.dir",
                work.resolve(stateDir).toString()));
        final Map<String, Function<EdgeTopics, Topic<String, ?>>> names = Map.of(
                "purchase-events",
                EdgeTopics::purchaseEvents,
                "redemption-events",
                EdgeTopics::redemptionEvents,
                "promotions",
                EdgeTopics::promotions,
                "points-ledger",
                EdgeTopics::pointsLedger,
                "loyalty-points-realtime",
                EdgeTopics::loyaltyPointsRealtime,
                "fraud-alerts",
                EdgeTopics::fraudAlerts,
                "late-events",
                EdgeTopics::lateEvents,
                "redemption-results",
                EdgeTopics::redemptionResults);
        names.forEach((key, name) ->
                settings.put("edge.topic." + key, name.apply(topics).name()));
        final EdgeProcess instance = EdgeProcess.start(settings, Path.of("target", prefix + log));
        instances.add(instance);
        return instance;
    }

    /** Raw JSON text: the tests send bad records too, which no typed serializer would write. */
    void send(final Topic<String, ?> topic, final String key, final String value) {
        unconfirmed.add(producer.send(new ProducerRecord<>(topic.name(), key, value)));
    }

    /** To an explicit partition: what a producer with another partitioner (or none) does. */
    void sendTo(final Topic<String, ?> topic, final int partition, final String key, final String value) {
        unconfirmed.add(producer.send(new ProducerRecord<>(topic.name(), partition, key, value)));
    }

    /** Waits until the broker has acknowledged everything sent: the ground truth counts only what arrived. */
    void flush() {
        producer.flush();
        for (final Future<RecordMetadata> sent : unconfirmed) {
            try {
                sent.get();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (final ExecutionException e) {
                throw new IllegalStateException(
                        "a test record was not written; the broker's view of the test topics now: " + leadersOrWhyNot(),
                        e.getCause());
            }
        }
        unconfirmed.clear();
    }

    /**
     * createTopics returns once the controller has the topics; the broker may host their partitions a moment later,
     * and a producer that sends before then retries against a partition without a leader.
     */
    private void awaitLeaders() {
        await("a leader for every partition of " + prefix + "*")
                .atMost(Duration.ofMinutes(1))
                .until(() -> !leaders().contains("leader=none"));
    }

    /** Each test topic's partitions with their leader, as the broker reports them now. */
    private String leaders() throws Exception {
        final Set<String> ours = newTopics.stream().map(NewTopic::name).collect(Collectors.toCollection(TreeSet::new));
        return admin.describeTopics(ours).allTopicNames().get().values().stream()
                .flatMap(topic -> topic.partitions().stream()
                        .map(partition -> topic.name() + "-" + partition.partition() + " leader="
                                + (partition.leader() == null
                                                || partition.leader().isEmpty()
                                        ? "none"
                                        : partition.leader().idString())))
                .sorted()
                .collect(Collectors.joining(", "));
    }

    private String leadersOrWhyNot() {
        try {
            return leaders();
        } catch (final Exception e) {
            return "not available (" + e + ")";
        }
    }

    static Map<String, Long> latestBalances(final TopicReader balances) {
        final Map<String, Long> latest = new TreeMap<>();
        balances.values(BalanceUpdate.class).forEach(update -> latest.put(update.userId(), update.balance()));
        return latest;
    }

    static <T> List<T> parse(final List<String> values, final Class<T> type) {
        return values.stream().map(value -> Json.fromJson(value, type)).toList();
    }
}
