package io.loyaltylakehouse.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Throughput over time for a chart: samples a running count (records visible in a topic, rows committed) at a fixed
 * interval on its own thread, from the first sample that moved until closed; each point is the rate since the
 * previous sample.
 */
final class ThroughputSampler implements AutoCloseable {
    private final String name;
    private final LongSupplier count;
    private final List<double[]> points = new ArrayList<>();
    private final ScheduledExecutorService timer;
    private long startNanos;
    private long lastNanos;
    private long lastCount;

    private ThroughputSampler(final String name, final LongSupplier count, final Duration interval) {
        this.name = name;
        this.count = count;
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "bench-sampler-" + name);
            thread.setDaemon(true);
            return thread;
        });
        lastCount = count.getAsLong();
        lastNanos = System.nanoTime();
        timer.scheduleAtFixedRate(this::sample, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts sampling {@code count} every {@code interval}. */
    static ThroughputSampler start(final String name, final LongSupplier count, final Duration interval) {
        return new ThroughputSampler(name, count, interval);
    }

    /** Records of {@code topic} visible to read_committed consumers, sampled every 500 ms. */
    static ThroughputSampler topic(final String name, final BenchKafka kafka, final String topic) {
        return start(name, () -> kafka.visibleRecords(topic), Duration.ofMillis(500));
    }

    private synchronized void sample() {
        final long now = System.nanoTime();
        final long current;
        try {
            current = count.getAsLong();
        } catch (final RuntimeException e) {
            return; // a slow answer (broker busy): the next sample covers this interval too
        }
        if (startNanos == 0 && current != lastCount) {
            startNanos = lastNanos;
        }
        if (startNanos != 0) {
            points.add(new double[] {(now - startNanos) / 1e9, (current - lastCount) / ((now - lastNanos) / 1e9)});
        }
        lastNanos = now;
        lastCount = current;
    }

    /** The samples so far as a chart series (records/s against seconds since the count first moved). */
    synchronized BenchChart.Series series() {
        return new BenchChart.Series(
                name,
                points.stream().mapToDouble(point -> point[0]).toArray(),
                points.stream().mapToDouble(point -> point[1]).toArray());
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
    }
}
