package io.loyaltylakehouse.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JVM's CPU went over a time window, from its flight recording ({@code -XX:StartFlightRecording}, settings
 * "profile": a Java stack sampled every 10 ms on each thread running Java code): the methods on top of the samples
 * (self time), the share of samples with a given kind of frame anywhere on the stack (inclusive), and per thread.
 * Time in native code (RocksDB's C++, the kernel) shows only as samples of its Java caller in native
 * ({@code jdk.NativeMethodSample}, which also holds threads waiting in epoll, so only RocksDB's are counted).
 */
final class JfrWindowProfile {
    /** Kinds of frames worth a line each, inclusive: a sample counts for every kind on its stack. */
    private static final Map<String, Predicate<String>> KINDS = kinds();

    private final long samples;
    private final Map<String, Long> self = new HashMap<>();
    private final Map<String, Long> inclusive = new LinkedHashMap<>();
    private final Map<String, Long> threads = new HashMap<>();
    private long rocksDbNative;
    private Duration gc = Duration.ZERO;

    private JfrWindowProfile(final Path recording, final Instant from, final Instant to) throws IOException {
        KINDS.keySet().forEach(kind -> inclusive.put(kind, 0L));
        long count = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                final RecordedEvent event = file.readEvent();
                if (event.getStartTime().isBefore(from) || event.getStartTime().isAfter(to)) {
                    continue;
                }
                final String type = event.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gc = gc.plus(event.getDuration());
                    continue;
                }
                final RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                if (type.equals("jdk.NativeMethodSample")) {
                    if (name(stack.getFrames().get(0)).startsWith("org.rocksdb.")) {
                        rocksDbNative++;
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                count++;
                self.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
                final String thread = event.getThread("sampledThread") == null
                        ? "?"
                        : event.getThread("sampledThread").getJavaName();
                threads.merge(threadKind(thread), 1L, Long::sum);
                for (final Map.Entry<String, Predicate<String>> kind : KINDS.entrySet()) {
                    if (stack.getFrames().stream().map(JfrWindowProfile::name).anyMatch(kind.getValue())) {
                        inclusive.merge(kind.getKey(), 1L, Long::sum);
                    }
                }
            }
        }
        this.samples = count;
    }

    static JfrWindowProfile read(final Path recording, final Instant from, final Instant to) throws IOException {
        return new JfrWindowProfile(recording, from, to);
    }

    long samples() {
        return samples;
    }

    /** The methods most often on top of a sample: {@code limit} rows of method, samples, share. */
    List<List<String>> topSelf(final int limit) {
        return top(self, limit);
    }

    List<List<String>> byThread() {
        return top(threads, 10);
    }

    /** Each kind of frame's share of the samples (a sample may count for several). */
    List<List<String>> inclusive() {
        final List<List<String>> rows = new ArrayList<>();
        inclusive.forEach((kind, count) -> rows.add(List.of(kind, Long.toString(count), share(count))));
        rows.add(List.of("RocksDB in native code (jdk.NativeMethodSample, 20 ms)", Long.toString(rocksDbNative), "-"));
        rows.add(List.of("garbage collection (jdk.GarbageCollection, wall time)", gc.toMillis() + " ms", "-"));
        return rows;
    }

    private List<List<String>> top(final Map<String, Long> counts, final int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(limit)
                .map(entry ->
                        List.of("`" + entry.getKey() + "`", Long.toString(entry.getValue()), share(entry.getValue())))
                .toList();
    }

    private String share(final long count) {
        return samples == 0 ? "-" : String.format("%.1f%%", 100.0 * count / samples);
    }

    private static String name(final RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    /** Thread names without their numbers: {@code app-StreamThread-1} and {@code -2} are one kind. */
    private static String threadKind(final String thread) {
        return thread.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>").replaceAll("\\d+", "N");
    }

    private static Map<String, Predicate<String>> kinds() {
        final Map<String, Predicate<String>> kinds = new LinkedHashMap<>();
        kinds.put("input validation (JSON parse, checks)", name -> name.contains("InputValidationProcessor.process"));
        kinds.put("global id check", name -> name.contains("GlobalIdDedupProcessor.process"));
        kinds.put("points accrual", name -> name.contains("PointsAccrualProcessor.process"));
        kinds.put("Jackson (JSON read/write)", name -> name.startsWith("com.fasterxml.jackson."));
        kinds.put("edge-streams serdes", name -> name.startsWith("io.loyaltylakehouse.edge.serde."));
        kinds.put("RocksDB calls (Java side)", name -> name.startsWith("org.rocksdb."));
        kinds.put(
                "Streams record cache",
                name -> name.startsWith("org.apache.kafka.streams.state.internals.ThreadCache")
                        || name.startsWith("org.apache.kafka.streams.state.internals.NamedCache"));
        kinds.put("producer send (serialize, partition, append)", name -> name.endsWith("KafkaProducer.doSend"));
        kinds.put(
                "consumer poll (fetch, decompress, parse)",
                name -> name.endsWith("KafkaConsumer.poll")
                        || name.endsWith("ClassicKafkaConsumer.poll")
                        || name.endsWith("AsyncKafkaConsumer.poll"));
        kinds.put(
                "commit (flush, offsets, end transaction)",
                name -> name.endsWith("TaskManager.commit")
                        || name.endsWith("TaskExecutor.commitOffsetsOrTransaction"));
        kinds.put(
                "compression (lz4, zstd)",
                name -> name.startsWith("net.jpountz.")
                        || name.startsWith("com.github.luben.")
                        || name.startsWith("org.apache.kafka.common.compress."));
        kinds.put("CRC32C", name -> name.contains("Crc32C") || name.contains("CRC32C"));
        kinds.put(
                "metrics (sensors, Prometheus)",
                name -> name.startsWith("org.apache.kafka.common.metrics.") || name.startsWith("io.prometheus."));
        kinds.put("logging", name -> name.startsWith("org.apache.logging.") || name.startsWith("org.slf4j."));
        return kinds;
    }
}
