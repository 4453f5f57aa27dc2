package io.loyaltylakehouse.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.json.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The extra column of {@code make status}: consumer lag per group for Kafka, each schedule's last run for Dagster, and
 * from Prometheus: each stage's lag, the reconciler's last checkpoint and freshness, CDC delay, targets and alerts.
 */
final class StatusDetails {
    private static final HttpClient PROMETHEUS =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private StatusDetails() {}

    static String of(final StackSettings stack, final String component) {
        try {
            return switch (component) {
                case "kafka" -> "lag " + consumerLag(stack);
                case Dagster.DAEMON -> Dagster.schedules(stack);
                case "edge-streams" ->
                    fromPrometheus(stack, "lag %.0f records", "loyalty:consumer_lag:records{stage=\"edge-streams\"}");
                case "cdc-bridge" ->
                    fromPrometheus(
                            stack,
                            "behind source %.0f ms, slot WAL %.1f MB",
                            "max(debezium_streaming_milli_seconds_behind_source)",
                            "max(cdc_bridge_replication_slot_wal_retained_bytes) / 1e6");
                case "flink-reconciler" ->
                    fromPrometheus(
                            stack,
                            "lag %.0f records, checkpoint #%.0f %.0f ms %.0f s ago, freshness p95 %.1f s (pipeline %.1f s)",
                            "loyalty:consumer_lag:records{stage=\"flink-reconciler\"}",
                            "max(flink_jobmanager_job_lastCompletedCheckpointId)",
                            "max(flink_jobmanager_job_lastCheckpointDuration)",
                            "time() - max(flink_jobmanager_job_lastCheckpointCompletedTimestamp) / 1000",
                            "loyalty:ledger_freshness_p95:seconds",
                            "loyalty:ledger_commit_latency_p95:seconds");
                case "prometheus" ->
                    fromPrometheus(
                            stack,
                            "%.0f of %.0f targets up, %.0f alerts firing",
                            "sum(up)",
                            "count(up)",
                            "count(ALERTS{alertstate=\"firing\"}) or vector(0)");
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
                final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata()
                        .get(3, TimeUnit.SECONDS);
                final Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
                committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
                final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get(3, TimeUnit.SECONDS);
                long total = 0;
                for (final var entry : committed.entrySet()) {
                    if (entry.getValue() != null && ends.containsKey(entry.getKey())) {
                        total += Math.max(
                                0,
                                ends.get(entry.getKey()).offset()
                                        - entry.getValue().offset());
                    }
                }
                lag.put(group.groupId(), total);
            }
        }
        return lag;
    }

    /** {@code format} filled with the first value of each query; "" while Prometheus or a series is missing. */
    private static String fromPrometheus(final StackSettings stack, final String format, final String... queries)
            throws Exception {
        final Object[] values = new Object[queries.length];
        for (int i = 0; i < queries.length; i++) {
            final HttpResponse<String> response = PROMETHEUS.send(
                    HttpRequest.newBuilder(URI.create(Monitoring.url(stack, "prometheus.port") + "/api/v1/query?query="
                                    + URLEncoder.encode(queries[i], StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(3))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            final JsonNode result =
                    Json.MAPPER.readTree(response.body()).path("data").path("result");
            if (result.isEmpty()) {
                values[i] = Double.NaN;
            } else {
                values[i] =
                        Double.parseDouble(result.get(0).path("value").path(1).asText());
            }
        }
        return String.format(java.util.Locale.ROOT, format, values).replace("NaN", "n/a");
    }
}
