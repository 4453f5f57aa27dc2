package io.loyaltylakehouse.common.ops;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;

/**
 * Counters and gauges rendered in the Prometheus text format. Enough for this project's components
 * without pulling in a metrics library; {@link #addSource} lets a component add lines it computes
 * itself (Kafka Streams' own metrics).
 */
public final class Metrics {
    private final String prefix;
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, DoubleSupplier> gauges = new ConcurrentHashMap<>();
    private final Map<String, String> help = new ConcurrentHashMap<>();
    private final java.util.List<Supplier<String>> sources = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Metrics(final String prefix) {
        this.prefix = prefix;
    }

    /** A counter; {@code labels} like {@code table="members",op="c"} (may be empty). */
    public LongAdder counter(final String name, final String description, final String labels) {
        help.putIfAbsent(prefix + name, description);
        return counters.computeIfAbsent(series(name, labels), key -> new LongAdder());
    }

    public void gauge(final String name, final String description, final String labels, final DoubleSupplier value) {
        help.putIfAbsent(prefix + name, description);
        gauges.put(series(name, labels), value);
    }

    public void addSource(final Supplier<String> lines) {
        sources.add(lines);
    }

    /** The value of a counter series, for tests and status lines. */
    public long count(final String name, final String labels) {
        final LongAdder adder = counters.get(series(name, labels));
        return adder == null ? 0 : adder.sum();
    }

    public String scrape() {
        final Map<String, StringBuilder> families = new TreeMap<>();
        counters.forEach((series, value) -> line(families, series, "counter", Long.toString(value.sum())));
        gauges.forEach((series, value) -> line(families, series, "gauge", format(value.getAsDouble())));
        final StringBuilder out = new StringBuilder();
        families.values().forEach(out::append);
        sources.forEach(source -> out.append(source.get()));
        return out.toString();
    }

    private void line(final Map<String, StringBuilder> families, final String series, final String type,
            final String value) {
        final String family = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        families.computeIfAbsent(family, name -> new StringBuilder()
                        .append("# HELP ").append(name).append(' ').append(help.getOrDefault(name, name)).append('\n')
                        .append("# TYPE ").append(name).append(' ').append(type).append('\n'))
                .append(series).append(' ').append(value).append('\n');
    }

    private String series(final String name, final String labels) {
        return labels == null || labels.isEmpty() ? prefix + name : prefix + name + "{" + labels + "}";
    }

    /** Prometheus metric names allow [a-zA-Z0-9_:]. */
    public static String sanitize(final String name) {
        return name.replaceAll("[^a-zA-Z0-9_:]", "_");
    }

    static String format(final double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
