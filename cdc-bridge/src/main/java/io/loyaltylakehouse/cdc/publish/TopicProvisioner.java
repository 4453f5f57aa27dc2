package io.loyaltylakehouse.cdc.publish;

import io.loyaltylakehouse.common.model.Topics;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the bridge's output topics when they are missing, with the partition count and cleanup policy of their
 * role in {@link Topics#all()}, so the bridge does not depend on the broker's auto-creation defaults.
 */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {}

    /** @param roles output topic name -> the contract topic whose shape it takes */
    /** @param kafkaClient bootstrap servers and client security ({@code CdcBridgeConfig.kafkaClient}) */
    public static void ensure(final Properties kafkaClient, final Map<String, String> roles)
            throws InterruptedException {
        final Properties props = new Properties();
        props.putAll(kafkaClient);
        props.setProperty(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.setProperty(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
        try (Admin admin = Admin.create(props)) {
            final Set<String> existing = admin.listTopics().names().get();
            final List<NewTopic> missing = roles.entrySet().stream()
                    .filter(entry -> !existing.contains(entry.getKey()))
                    .map(entry -> newTopic(entry.getKey(), specOf(entry.getValue())))
                    .collect(Collectors.toList());
            if (missing.isEmpty()) {
                return;
            }
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get();
                    LOG.info("Created topic {}", name);
                } catch (final ExecutionException e) {
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
                    }
                } catch (final InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while creating topic " + name, e);
                }
            });
        } catch (final ExecutionException e) {
            throw new IllegalStateException(
                    "cannot list topics on " + kafkaClient.getProperty("bootstrap.servers") + ": " + e.getCause(), e);
        }
    }

    private static Topics.Spec specOf(final String contractTopic) {
        return Topics.all().stream()
                .filter(spec -> spec.name().equals(contractTopic))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no topic spec for " + contractTopic));
    }

    private static NewTopic newTopic(final String name, final Topics.Spec spec) {
        final NewTopic topic = new NewTopic(name, spec.partitions(), (short) -1);
        return spec.compacted()
                ? topic.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))
                : topic;
    }
}
