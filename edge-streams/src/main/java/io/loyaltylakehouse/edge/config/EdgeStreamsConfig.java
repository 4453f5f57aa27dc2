package io.loyaltylakehouse.edge.config;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.edge.errors.DeadLetterExceptionHandler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * edge-streams' configuration, resolved once at startup from {@code edge-streams.properties} and the rules' numbers
 * ({@code rules.*} of {@link Settings#RULES}) plus environment (see {@link Settings}) and checked there, so a bad
 * value fails fast with the key's name.
 */
public record EdgeStreamsConfig(
        String applicationId,
        String bootstrapServers,
        Path stateDir,
        int numStreamThreads,
        long commitIntervalMs,
        Duration dedupRetention,
        Duration allowedLateness,
        Duration maxFutureSkew,
        Duration streamTimeMaxLead,
        long fraudLimitPoints,
        Duration fraudWindow,
        Duration fraudPause,
        Duration promotionRetention,
        String httpHost,
        int httpPort,
        String advertisedHost,
        EdgeTopics topics,
        Map<String, String> streamsOverrides) {

    public static final String COMPONENT = "edge-streams";

    public EdgeStreamsConfig {
        requireNonNull(applicationId, "applicationId is null");
        requireNonNull(bootstrapServers, "bootstrapServers is null");
        requireNonNull(stateDir, "stateDir is null");
        requireNonNull(httpHost, "httpHost is null");
        requireNonNull(advertisedHost, "advertisedHost is null");
        requireNonNull(topics, "topics is null");
        check(numStreamThreads >= 1, "edge.num.stream.threads must be >= 1, got " + numStreamThreads);
        check(commitIntervalMs >= 1, "edge.commit.interval.ms must be >= 1, got " + commitIntervalMs);
        check(dedupRetention.toMillis() >= 1, "rules.dedup-retention must be positive, got " + dedupRetention);
        check(!allowedLateness.isNegative(), "rules.allowed-lateness must not be negative, got " + allowedLateness);
        check(!maxFutureSkew.isNegative(), "rules.max-future-skew must not be negative, got " + maxFutureSkew);
        check(
                !streamTimeMaxLead.isNegative(),
                "edge.stream.time.max.lead must not be negative, got " + streamTimeMaxLead);
        check(fraudLimitPoints >= 0, "rules.fraud.limit-points must not be negative, got " + fraudLimitPoints);
        check(fraudWindow.toMillis() >= 1, "rules.fraud.window must be positive, got " + fraudWindow);
        check(!fraudPause.isNegative(), "rules.fraud.pause must not be negative, got " + fraudPause);
        check(
                !promotionRetention.isNegative(),
                "edge.promotion.retention must not be negative, got " + promotionRetention);
        check(httpPort >= 0 && httpPort <= 65535, "edge.http.port must be a port number, got " + httpPort);
        streamsOverrides = Map.copyOf(streamsOverrides);
    }

    /** Loads {@code edge-streams.properties} with environment and system-property overrides. */
    public static EdgeStreamsConfig load() {
        return from(Settings.load(COMPONENT));
    }

    public static EdgeStreamsConfig from(final Settings settings) {
        final String stateDir = settings.get("edge.state.dir", "");
        final String httpHost = settings.require("edge.http.host");
        final Map<String, String> overrides = new TreeMap<>();
        // The shared Kafka client security (kafka.client.*) first; streams.* keys may still refine it.
        overrides.putAll(KafkaClients.security(settings));
        settings.withPrefix("streams").forEach((key, value) -> overrides.put((String) key, (String) value));
        return new EdgeStreamsConfig(
                settings.require("edge.application.id"),
                settings.require("kafka.bootstrap"),
                stateDir.isEmpty() ? Path.of(settings.require("data.dir"), COMPONENT, "state") : Path.of(stateDir),
                settings.requireInt("edge.num.stream.threads"),
                settings.requireLong("edge.commit.interval.ms"),
                settings.requireDuration("rules.dedup-retention"),
                settings.requireDuration("rules.allowed-lateness"),
                settings.requireDuration("rules.max-future-skew"),
                settings.requireDuration("edge.stream.time.max.lead"),
                settings.requireLong("rules.fraud.limit-points"),
                settings.requireDuration("rules.fraud.window"),
                settings.requireDuration("rules.fraud.pause"),
                settings.requireDuration("edge.promotion.retention"),
                httpHost,
                settings.requireInt("edge.http.port"),
                settings.get("edge.advertised.host", httpHost),
                new EdgeTopics(
                        Topics.PURCHASE_EVENTS.named(settings.require("edge.topic.purchase-events")),
                        Topics.REDEMPTION_EVENTS.named(settings.require("edge.topic.redemption-events")),
                        Topics.PROMOTIONS.named(settings.require("edge.topic.promotions")),
                        Topics.POINTS_LEDGER.named(settings.require("edge.topic.points-ledger")),
                        Topics.LOYALTY_POINTS_REALTIME.named(settings.require("edge.topic.loyalty-points-realtime")),
                        Topics.FRAUD_ALERTS.named(settings.require("edge.topic.fraud-alerts")),
                        Topics.LATE_EVENTS.named(settings.require("edge.topic.late-events")),
                        Topics.REDEMPTION_RESULTS.named(settings.require("edge.topic.redemption-results"))),
                overrides);
    }

    /**
     * The Kafka Streams properties. {@code serverPort} is the port the HTTP server actually bound (it differs
     * from {@link #httpPort} when that is 0), advertised to other instances for the balance API.
     */
    public Properties streamsProperties(final int serverPort) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(numStreamThreads));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + serverPort);
        // Static membership: an instance restarted after a crash takes its tasks back at once; as a new member it
        // would wait until the killed one's session timed out (45 s) and every task of the group stood still.
        props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId(localHostName(), stateDir));
        // Inputs are read as raw bytes and validated in the topology; the handler catches whatever still
        // escapes (a serde or processor failure on an input record) and dead-letters it instead of stopping.
        props.put(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterExceptionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName());
        // A failed output write must abort the transaction, never be skipped (retriable errors are retried); only a
        // dead letter that cannot be written is logged and counted instead.
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class.getName());
        props.put(DeadLetterExceptionHandler.INPUT_TOPICS_CONFIG, String.join(",", topics.inputs()));
        props.putAll(streamsOverrides);
        return props;
    }

    /** The properties of the small promotions dead-letter application: the same, under its own application id. */
    public Properties promotionDeadLetterProperties(final int serverPort) {
        final Properties props = streamsProperties(serverPort);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId + "-promotions-dlq");
        props.remove(StreamsConfig.APPLICATION_SERVER_CONFIG);
        return props;
    }

    /** The producer's {@code max.request.size}: what every output, dead letters included, must stay under. */
    public int producerMaxRequestSize() {
        return Integer.parseInt(streamsOverrides.getOrDefault("producer.max.request.size", "1048576"));
    }

    public EdgeStreamsConfig withTopics(final EdgeTopics newTopics) {
        return new EdgeStreamsConfig(
                applicationId,
                bootstrapServers,
                stateDir,
                numStreamThreads,
                commitIntervalMs,
                dedupRetention,
                allowedLateness,
                maxFutureSkew,
                streamTimeMaxLead,
                fraudLimitPoints,
                fraudWindow,
                fraudPause,
                promotionRetention,
                httpHost,
                httpPort,
                advertisedHost,
                newTopics,
                streamsOverrides);
    }

    /**
     * The consumer group instance id (Kafka Streams adds each stream thread's number): the host and the state
     * directory, which together are one instance across its restarts, since two instances cannot share a state
     * directory. Overridden by {@code streams.group.instance.id}.
     */
    static String groupInstanceId(final String host, final Path stateDir) {
        final byte[] path = stateDir.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8);
        return COMPONENT + "-" + host + "-"
                + UUID.nameUUIDFromBytes(path).toString().substring(0, 8);
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (final UnknownHostException e) {
            return "localhost";
        }
    }

    private static void check(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(COMPONENT + ": " + message);
        }
    }
}
