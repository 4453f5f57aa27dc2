package io.loyaltylakehouse.stack;

import io.loyaltylakehouse.common.config.KafkaClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** The extra column of {@code make status}: consumer lag per group for Kafka, last run for the dbt scheduler. */
final class StatusDetails {
    private StatusDetails() {
    }

    static String of(final StackSettings stack, final String component) {
        try {
            return switch (component) {
                case "kafka" -> "lag " + consumerLag(stack);
                case "dbt-scheduler" -> lastDbtRun(stack);
                default -> "";
            };
        } catch (final Exception e) {
            return "";
        }
    }

    /** Records not yet consumed, per consumer group (edge-streams, flink-reconciler...). */
    static Map<String, Long> consumerLag(final StackSettings stack) throws Exception {
        final Map<String, Object> config = new java.util.HashMap<>(KafkaClients.config(stack.settings()));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        final Map<String, Long> lag = new TreeMap<>();
        try (Admin admin = Admin.create(config)) {
            for (final var group : admin.listGroups().all().get(3, TimeUnit.SECONDS)) {
                final Map<TopicPartition, OffsetAndMetadata> committed = admin
                        .listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata().get(3, TimeUnit.SECONDS);
                final Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get(3, TimeUnit.SECONDS);
                long total = 0;
                for (final var entry : committed.entrySet()) {
                    if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                        total += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
                    }
                }
                lag.put(group.groupId(), total);
            }
        }
        return lag;
    }

    private static String lastDbtRun(final StackSettings stack) throws Exception {
        final Path status = stack.dataDir().resolve("dbt/scheduler-status.json");
        return Files.exists(status) ? Files.readString(status).replaceAll("\\s+", " ").trim() : "no run yet";
    }
}
