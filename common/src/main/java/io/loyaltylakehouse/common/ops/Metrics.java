package io.loyaltylakehouse.common.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.function.DoubleSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A component's metrics: one Prometheus Java client registry with the JVM's own metrics (memory, GC, threads),
 * plus the component's counters, gauges and histograms, all named {@code <prefix><name>}. {@link OpsServer} serves
 * it on {@code /metrics} in the Prometheus and OpenMetrics text formats.
 */
public final class Metrics {
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    private final String prefix;
    private final PrometheusRegistry registry = new PrometheusRegistry();

    /** {@code prefix}: the component's namespace, like {@code edge_}. */
    public Metrics(final String prefix) {
        this.prefix = prefix;
        JvmMetrics.builder().register(registry);
    }

    /** A counter; {@code name} ends in {@code _total} by convention (the exposition adds it anyway). */
    public Counter counter(final String name, final String help, final String... labelNames) {
        return Counter.builder()
                .name(prefix + name)
                .help(help)
                .labelNames(labelNames)
                .register(registry);
    }

    /** A gauge read when scraped. */
    public void gauge(final String name, final String help, final DoubleSupplier value) {
        GaugeWithCallback.builder()
                .name(prefix + name)
                .help(help)
                .callback(callback -> callback.call(value.getAsDouble()))
                .register(registry);
    }

    /** A histogram with the given bucket upper bounds (in the unit its name ends with). */
    public Histogram histogram(final String name, final String help, final double... buckets) {
        return Histogram.builder()
                .name(prefix + name)
                .help(help)
                .classicUpperBounds(buckets)
                .classicOnly()
                .register(registry);
    }

    /** Metrics a component collects itself on each scrape (Kafka Streams', Debezium's JMX metrics). */
    public void register(final MultiCollector collector) {
        registry.register(collector);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /**
     * The sum of the counter or gauge series of {@code name} whose labels include {@code labels} (0 when none), for
     * tests and status lines; {@code labels} like {@code topic="purchase_events"} (empty = every series).
     */
    public long count(final String name, final String labels) {
        final String family = (prefix + name).replaceAll("_total$", "");
        final Labels wanted = parse(labels);
        double sum = 0;
        for (final MetricSnapshot snapshot : registry.scrape(family::equals)) {
            for (final DataPointSnapshot point : snapshot.getDataPoints()) {
                if (includes(point.getLabels(), wanted)) {
                    if (point instanceof CounterSnapshot.CounterDataPointSnapshot counter) {
                        sum += counter.getValue();
                    } else if (point instanceof GaugeSnapshot.GaugeDataPointSnapshot gauge) {
                        sum += gauge.getValue();
                    }
                }
            }
        }
        return Math.round(sum);
    }

    private static boolean includes(final Labels labels, final Labels wanted) {
        return wanted.stream().allMatch(label -> label.getValue().equals(labels.get(label.getName())));
    }

    private static Labels parse(final String labels) {
        final Labels.Builder out = Labels.builder();
        final Matcher matcher = LABEL.matcher(labels == null ? "" : labels);
        while (matcher.find()) {
            out.label(matcher.group(1), matcher.group(2));
        }
        return out.build();
    }
}
