package io.loyaltylakehouse.edge.errors;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How large a dead letter may be on each {@code .dlq} topic: the smaller of the producer's {@code max.request.size}
 * and the topic's {@code max.message.bytes} (read from the cluster at startup), minus a margin for the key and the
 * batch overhead. A dead letter is written whole when it fits (always, with Kafka's defaults: its raw value is cut at
 * 8 KiB), without its raw text (length and SHA-256 kept) when only that fits, and not at all otherwise. Deciding this
 * before the write matters under exactly-once: a record the broker refuses would abort the whole transaction.
 */
public final class DeadLetterLimits {
    /** Room under the limit for the record's key (at most an id: 256 characters, 1 KiB in UTF-8) and batch header. */
    static final int MARGIN = 1024 + 128;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterLimits.class);

    private final int producerLimit;
    private final Map<String, Integer> topicLimits;

    public DeadLetterLimits(final int producerLimit, final Map<String, Integer> topicLimits) {
        this.producerLimit = producerLimit;
        this.topicLimits = Map.copyOf(requireNonNull(topicLimits, "topicLimits is null"));
    }

    /**
     * Reads {@code max.message.bytes} of the dead-letter topics with the connection settings of {@code streamsProps}
     * (bootstrap servers, security); when the cluster cannot say, the producer's limit holds.
     */
    public static DeadLetterLimits read(
            final Properties streamsProps, final int producerLimit, final List<String> deadLetterTopics) {
        final Map<String, Object> connection = new HashMap<>();
        streamsProps.forEach((key, value) -> {
            final String name = key.toString();
            if (name.equals(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)
                    || name.startsWith("security.")
                    || name.startsWith("sasl.")
                    || name.startsWith("ssl.")) {
                connection.put(name, value);
            }
        });
        final Map<String, Integer> limits = new HashMap<>();
        try (Admin admin = Admin.create(connection)) {
            final List<ConfigResource> resources = deadLetterTopics.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic))
                    .toList();
            final Map<ConfigResource, Config> configs = admin.describeConfigs(resources)
                    .all()
                    .get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            configs.forEach((resource, config) -> {
                final ConfigEntry entry = config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
                if (entry != null && entry.value() != null) {
                    limits.put(resource.name(), Integer.parseInt(entry.value()));
                }
            });
        } catch (final Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.warn(
                    "Cannot read the dead-letter topics' size limits ({}); dead letters stay under {} bytes",
                    e.toString(),
                    producerLimit - MARGIN);
        }
        LOG.info("Dead-letter size limits: producer {} bytes, topics {}", producerLimit, limits);
        return new DeadLetterLimits(producerLimit, limits);
    }

    /** The largest dead letter {@code topic} takes, in bytes. */
    public int limit(final String topic) {
        return Math.min(producerLimit, topicLimits.getOrDefault(topic, Integer.MAX_VALUE)) - MARGIN;
    }

    /**
     * The dead letter as it will be written to {@code topic}: whole, else without its raw text, else null (it cannot
     * be written at all: the caller logs and counts it).
     */
    public byte[] fit(final DeadLetter deadLetter, final String topic) {
        final byte[] whole = Json.toBytes(deadLetter);
        if (whole.length <= limit(topic)) {
            return whole;
        }
        final byte[] stripped = Json.toBytes(withoutRaw(deadLetter));
        if (stripped.length <= limit(topic)) {
            LOG.warn(
                    "Dead letter for {}-{}@{} written without its raw value: {} bytes exceed {}'s limit of {}",
                    deadLetter.sourceTopic(),
                    deadLetter.partition(),
                    deadLetter.offset(),
                    whole.length,
                    topic,
                    limit(topic));
            return stripped;
        }
        return null;
    }

    private static DeadLetter withoutRaw(final DeadLetter deadLetter) {
        final String error = deadLetter.error() == null || deadLetter.error().length() <= 200
                ? deadLetter.error()
                : deadLetter.error().substring(0, 200) + "...[cut]";
        return new DeadLetter(
                null,
                deadLetter.raw() != null,
                deadLetter.rawLength(),
                deadLetter.rawSha256(),
                error,
                deadLetter.sourceTopic(),
                deadLetter.partition(),
                deadLetter.offset(),
                deadLetter.failedAt());
    }
}
