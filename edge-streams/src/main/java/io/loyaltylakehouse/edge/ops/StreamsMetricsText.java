package io.loyaltylakehouse.edge.ops;

import io.loyaltylakehouse.common.ops.Metrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Kafka Streams' own metrics (threads, tasks, stores, and the embedded clients) in the Prometheus text format:
 * {@code kafka_<group>_<name>{tags} value}, one family per group and name, every series a gauge.
 */
public final class StreamsMetricsText {
    private final List<KafkaStreams> clients;

    public StreamsMetricsText(final List<KafkaStreams> clients) {
        this.clients = List.copyOf(clients);
    }

    public String render() {
        final Map<String, StringBuilder> families = new TreeMap<>();
        for (final KafkaStreams client : clients) {
            for (final Map.Entry<MetricName, ? extends Metric> metric : client.metrics().entrySet()) {
                if (metric.getValue().metricValue() instanceof Number number) {
                    final MetricName name = metric.getKey();
                    final String family = "kafka_" + Metrics.sanitize(name.group() + "_" + name.name());
                    families.computeIfAbsent(family, key -> new StringBuilder("# TYPE " + key + " gauge\n"))
                            .append(family).append(labels(name.tags())).append(' ').append(value(number.doubleValue()))
                            .append('\n');
                }
            }
        }
        final StringBuilder out = new StringBuilder();
        families.values().forEach(out::append);
        return out.toString();
    }

    private static String labels(final Map<String, String> tags) {
        if (tags.isEmpty()) {
            return "";
        }
        final StringBuilder out = new StringBuilder("{");
        new TreeMap<>(tags).forEach((key, value) -> out.append(out.length() > 1 ? "," : "")
                .append(Metrics.sanitize(key)).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
        return out.append('}').toString();
    }

    private static String value(final double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
