package io.loyaltylakehouse.cdc.ops;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Debezium's connector metrics, which it publishes as JMX beans ({@code debezium.postgres:type=connector-metrics,
 * context=streaming|snapshot,server=<topic prefix>}), as gauges {@code debezium_<context>_<attribute>}: e.g.
 * {@code debezium_streaming_milli_seconds_behind_source}, {@code debezium_streaming_queue_remaining_capacity},
 * {@code debezium_streaming_queue_total_capacity}, {@code debezium_snapshot_snapshot_completed}. Numeric and boolean
 * attributes only; read on each scrape, so they appear once the engine has started.
 */
final class DebeziumJmxMetrics implements MultiCollector {
    private static final String PATTERN = "debezium.*:type=connector-metrics,*";

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    @Override
    public MetricSnapshots collect() {
        final Map<String, GaugeSnapshot.Builder> families = new TreeMap<>();
        try {
            for (final ObjectName bean : server.queryNames(new ObjectName(PATTERN), null)) {
                final String context = bean.getKeyProperty("context");
                if (context == null) {
                    continue;
                }
                final Labels labels = Labels.of("server", String.valueOf(bean.getKeyProperty("server")));
                for (final MBeanAttributeInfo attribute :
                        server.getMBeanInfo(bean).getAttributes()) {
                    final Double value = numeric(read(bean, attribute.getName()));
                    if (value != null) {
                        families.computeIfAbsent(
                                        "debezium_" + snake(context) + "_" + snake(attribute.getName()),
                                        name -> GaugeSnapshot.builder()
                                                .name(name)
                                                .help("Debezium " + context + " metric " + attribute.getName()))
                                .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                        .labels(labels)
                                        .value(value)
                                        .build());
                    }
                }
            }
        } catch (final JMException e) {
            throw new IllegalStateException("cannot read Debezium's JMX metrics: " + e.getMessage(), e);
        }
        final MetricSnapshots.Builder out = MetricSnapshots.builder();
        families.values().forEach(family -> out.metricSnapshot(family.build()));
        return out.build();
    }

    private Object read(final ObjectName bean, final String attribute) {
        try {
            return server.getAttribute(bean, attribute);
        } catch (final JMException | RuntimeException e) {
            return null; // an attribute the connector cannot compute right now (not streaming yet)
        }
    }

    private static Double numeric(final Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        if (value instanceof Boolean bool) {
            return bool ? 1.0 : 0.0;
        }
        return null;
    }

    /** {@code MilliSecondsBehindSource} -> {@code milli_seconds_behind_source}. */
    static String snake(final String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2")
                .replaceAll("[^A-Za-z0-9_]", "_")
                .toLowerCase(java.util.Locale.ROOT);
    }
}
