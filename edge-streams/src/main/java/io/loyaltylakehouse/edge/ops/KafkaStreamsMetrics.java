package io.loyaltylakehouse.edge.ops;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kafka Streams' own metrics (client, threads, tasks, processors, state stores with RocksDB, and the embedded
 * consumers, producers and admin client, consumer lag included) collected on each scrape: {@code kafka_<group>_<name>}
 * with the group's {@code -metrics} suffix dropped and the tags as labels, e.g.
 * {@code kafka_consumer_fetch_manager_records_lag{client_id,topic,partition}}. Kafka's cumulative {@code *-total}
 * metrics are counters, everything else a gauge.
 */
public final class KafkaStreamsMetrics implements MultiCollector {
    private static final String TOTAL = "-total";

    private final List<KafkaStreams> clients;

    public KafkaStreamsMetrics(final List<KafkaStreams> clients) {
        this.clients = List.copyOf(clients);
    }

    @Override
    public MetricSnapshots collect() {
        final Map<String, Map<Labels, Double>> gauges = new TreeMap<>();
        final Map<String, Map<Labels, Double>> counters = new TreeMap<>();
        for (final KafkaStreams client : clients) {
            for (final Map.Entry<MetricName, ? extends Metric> metric :
                    client.metrics().entrySet()) {
                if (metric.getValue().metricValue() instanceof Number number) {
                    final MetricName name = metric.getKey();
                    final boolean counter = name.name().endsWith(TOTAL);
                    final String family = familyName(
                            name.group(),
                            counter ? name.name().substring(0, name.name().length() - TOTAL.length()) : name.name());
                    if (PrometheusNaming.isValidMetricName(family)) {
                        (counter ? counters : gauges)
                                .computeIfAbsent(family, key -> new LinkedHashMap<>())
                                .putIfAbsent(labels(name.tags()), number.doubleValue());
                    }
                }
            }
        }
        final MetricSnapshots.Builder out = MetricSnapshots.builder();
        gauges.forEach((family, points) -> {
            final GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(family);
            points.forEach((labels, value) -> gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                    .labels(labels)
                    .value(value)
                    .build()));
            out.metricSnapshot(gauge.build());
        });
        counters.forEach((family, points) -> {
            if (!gauges.containsKey(family)) {
                final CounterSnapshot.Builder total = CounterSnapshot.builder().name(family);
                points.forEach((labels, value) -> total.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                        .labels(labels)
                        .value(Math.max(0, value))
                        .build()));
                out.metricSnapshot(total.build());
            }
        });
        return out.build();
    }

    static String familyName(final String group, final String name) {
        final String shortGroup = group.endsWith("-metrics") ? group.substring(0, group.length() - 8) : group;
        return legacyName("kafka_" + shortGroup + "_" + name);
    }

    private static Labels labels(final Map<String, String> tags) {
        final List<String> names = new ArrayList<>();
        final List<String> values = new ArrayList<>();
        new TreeMap<>(tags).forEach((key, value) -> {
            names.add(legacyName(key));
            values.add(value);
        });
        return Labels.of(names, values);
    }

    private static String legacyName(final String name) {
        return name.replaceAll("[^a-zA-Z0-9_]", "_");
    }
}
