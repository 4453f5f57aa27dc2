package io.loyaltylakehouse.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Java Flight Recorder profile over one measured window, of this JVM ({@link #ofThisJvm}), of a child JVM
 * ({@link #ofProcess}, through {@code jcmd}) or of a window of a child's own recording ({@link Summary#of(Path,
 * Instant, Instant, Map)}, for {@code -XX:StartFlightRecording}), summarized into the top costs a bench result shows: CPU samples
 * ({@code jdk.ExecutionSample}, JFR's "profile" settings) by library (the first non-JDK frame from the top of the
 * stack, so time in {@code java.util} counts for its caller), by method and by thread.
 */
final class JfrProfile {
    private static final List<String> JDK = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");
    /** Package prefixes named as one library in the summary, most specific first. */
    private static final Map<String, String> LIBRARIES = libraries();

    private final Recording recording;
    private final ProcessHandle process;
    private final Path file;

    private JfrProfile(final Recording recording, final ProcessHandle process, final Path file) {
        this.recording = recording;
        this.process = process;
        this.file = file;
    }

    static JfrProfile ofThisJvm(final Path file) throws IOException {
        try {
            final Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setToDisk(true);
            recording.start();
            return new JfrProfile(recording, null, file);
        } catch (final ParseException e) {
            throw new IOException("JFR's profile settings do not parse", e);
        }
    }

    static JfrProfile ofProcess(final ProcessHandle process, final Path file) throws Exception {
        jcmd(process, "JFR.start", "name=bench", "settings=profile");
        return new JfrProfile(null, process, file);
    }

    /** Ends the recording and returns its summary. */
    Summary stop() throws Exception {
        return Summary.of(dump());
    }

    /** Ends the recording and returns its file, for a caller that reads more of it than {@link Summary} does. */
    Path dump() throws Exception {
        if (recording != null) {
            recording.stop();
            recording.dump(file);
            recording.close();
        } else {
            jcmd(process, "JFR.stop", "name=bench", "filename=" + file.toAbsolutePath());
        }
        return file;
    }

    /**
     * How long the threads {@code thread} accepts (by name) were parked ({@code jdk.ThreadPark}: JFR's profile
     * settings record parks of 10 ms or more), by the first of {@code kinds} that a frame of the park's stack matches,
     * {@code other} when none does.
     */
    static Map<String, Duration> parked(
            final Path file,
            final Predicate<String> thread,
            final Map<String, Predicate<String>> kinds,
            final String other)
            throws IOException {
        final Map<String, Duration> parked = new LinkedHashMap<>();
        kinds.keySet().forEach(kind -> parked.put(kind, Duration.ZERO));
        parked.put(other, Duration.ZERO);
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                final RecordedEvent event = recording.readEvent();
                if (!event.getEventType().getName().equals("jdk.ThreadPark")) {
                    continue;
                }
                final var parkedThread = event.getThread();
                if (parkedThread == null || !thread.test(parkedThread.getJavaName()) || event.getStackTrace() == null) {
                    continue;
                }
                final List<String> frames = event.getStackTrace().getFrames().stream()
                        .map(Summary::qualified)
                        .toList();
                final String kind = kinds.entrySet().stream()
                        .filter(entry -> frames.stream().anyMatch(entry.getValue()))
                        .map(Map.Entry::getKey)
                        .findFirst()
                        .orElse(other);
                parked.merge(kind, event.getDuration(), Duration::plus);
            }
        }
        return parked;
    }

    private static void jcmd(final ProcessHandle process, final String... command) throws Exception {
        final List<String> args = new ArrayList<>();
        args.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        args.add(Long.toString(process.pid()));
        args.addAll(List.of(command));
        final Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
        final String output = new String(jcmd.getInputStream().readAllBytes());
        if (!jcmd.waitFor(60, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + output);
        }
    }

    /**
     * CPU samples counted by library, by top method (self time) and by thread (Flink: one thread per chain of
     * operators), and, when kinds of frames are given, by kind anywhere on the stack (inclusive: a sample counts for
     * every kind on it). Time in native code (RocksDB's C++) shows only as {@code jdk.NativeMethodSample} of its
     * Java caller, which also holds threads waiting in epoll, so only RocksDB's are counted; GC as wall time.
     */
    record Summary(
            long samples,
            Map<String, Long> libraries,
            Map<String, Long> methods,
            Map<String, Long> callers,
            Map<String, Long> threads,
            Map<String, Long> inclusive,
            long rocksDbNative,
            Duration gc) {

        /** The whole recording, by library, method and thread; the file is deleted. */
        static Summary of(final Path file) throws IOException {
            final Summary summary = of(file, Instant.MIN, Instant.MAX, Map.of());
            Files.deleteIfExists(file);
            return summary;
        }

        /** The samples taken from {@code from} to {@code to}, with each of {@code kinds} counted inclusive. */
        static Summary of(
                final Path file, final Instant from, final Instant to, final Map<String, Predicate<String>> kinds)
                throws IOException {
            final Map<String, Long> libraries = new HashMap<>();
            final Map<String, Long> methods = new HashMap<>();
            final Map<String, Long> callers = new HashMap<>();
            final Map<String, Long> threads = new HashMap<>();
            final Map<String, Long> inclusive = new LinkedHashMap<>();
            kinds.keySet().forEach(kind -> inclusive.put(kind, 0L));
            long samples = 0;
            long rocksDbNative = 0;
            Duration gc = Duration.ZERO;
            try (RecordingFile recording = new RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    final RecordedEvent event = recording.readEvent();
                    if (event.getStartTime().isBefore(from)
                            || event.getStartTime().isAfter(to)) {
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
                        if (qualified(stack.getFrames().get(0)).startsWith("org.rocksdb.")) {
                            rocksDbNative++;
                        }
                        continue;
                    }
                    if (!type.equals("jdk.ExecutionSample")) {
                        continue;
                    }
                    samples++;
                    methods.merge(name(stack.getFrames().get(0)), 1L, Long::sum);
                    callers.merge(callPath(stack.getFrames()), 1L, Long::sum);
                    libraries.merge(library(stack.getFrames()), 1L, Long::sum);
                    final var thread = event.getThread("sampledThread");
                    threads.merge(thread == null ? "?" : threadGroup(thread.getJavaName()), 1L, Long::sum);
                    for (final Map.Entry<String, Predicate<String>> kind : kinds.entrySet()) {
                        if (stack.getFrames().stream().map(Summary::qualified).anyMatch(kind.getValue())) {
                            inclusive.merge(kind.getKey(), 1L, Long::sum);
                        }
                    }
                }
            }
            return new Summary(samples, libraries, methods, callers, threads, inclusive, rocksDbNative, gc);
        }

        /**
         * The kinds of frames given to {@link #of(Path, Instant, Instant, Map)}, in their order, as table rows like
         * {@link #rows}'s, then RocksDB's native samples and the GC time.
         */
        List<List<String>> inclusiveRows(final double cpuMsPerThousand) {
            final List<List<String>> rows = new ArrayList<>();
            inclusive.forEach((kind, count) -> rows.add(row("inclusive", kind, count, cpuMsPerThousand)));
            rows.add(List.of("native", "RocksDB (jdk.NativeMethodSample, 20 ms)", rocksDbNative + " samples", "-"));
            rows.add(List.of("GC", "garbage collection (jdk.GarbageCollection)", gc.toMillis() + " ms wall", "-"));
            return rows;
        }

        /** The {@code limit} largest entries of one breakdown as table rows: name, share, CPU ms per 1,000 records. */
        List<List<String>> rows(final String kind, final int limit, final double cpuMsPerThousand) {
            final Map<String, Long> counts = switch (kind) {
                case "library" -> libraries;
                case "method" -> methods;
                case "caller" -> callers;
                default -> threads;
            };
            final List<List<String>> rows = new ArrayList<>();
            counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .limit(limit)
                    .forEach(entry -> rows.add(row(kind, entry.getKey(), entry.getValue(), cpuMsPerThousand)));
            return rows;
        }

        private List<String> row(
                final String kind, final String what, final long count, final double cpuMsPerThousand) {
            final double share = samples == 0 ? 0 : count / (double) samples;
            return List.of(
                    kind,
                    what,
                    String.format("%.1f %%", share * 100),
                    cpuMsPerThousand > 0 ? String.format("%.1f", share * cpuMsPerThousand) : "-");
        }

        private static String name(final RecordedFrame frame) {
            final String type = frame.getMethod().getType().getName();
            return type.substring(type.lastIndexOf('.') + 1) + "."
                    + frame.getMethod().getName();
        }

        /**
         * The top method with the first frame of another class that called it, past the JDK and Guava's collections
         * ("RegularImmutableList.get <- StructProjection.get"), so a hot collection call shows whose loop it is in.
         */
        private static String callPath(final List<RecordedFrame> frames) {
            final String topType = frames.get(0).getMethod().getType().getName();
            for (final RecordedFrame frame : frames.subList(1, frames.size())) {
                final String type = frame.getMethod().getType().getName();
                if (!type.equals(topType)
                        && JDK.stream().noneMatch(type::startsWith)
                        && !type.contains("google.common.collect")) {
                    return name(frames.get(0)) + " <- " + name(frame);
                }
            }
            return name(frames.get(0));
        }

        private static String qualified(final RecordedFrame frame) {
            return frame.getMethod().getType().getName() + "."
                    + frame.getMethod().getName();
        }

        private static String library(final List<RecordedFrame> frames) {
            for (final RecordedFrame frame : frames) {
                final String type = frame.getMethod().getType().getName();
                if (JDK.stream().noneMatch(type::startsWith)) {
                    return LIBRARIES.entrySet().stream()
                            .filter(entry -> type.startsWith(entry.getKey()))
                            .map(Map.Entry::getValue)
                            .findFirst()
                            .orElseGet(() -> packageOf(type));
                }
            }
            final String type = frames.get(0).getMethod().getType().getName();
            return "JDK only (" + packageOf(type) + ")";
        }

        private static String packageOf(final String type) {
            final String[] parts = type.split("\\.");
            return String.join(".", java.util.Arrays.copyOf(parts, Math.min(3, parts.length - 1)));
        }

        /**
         * A thread's name without its numbers and ids (a Flink subtask suffix "... (1/2)#0", a Streams client's
         * UUID, a thread number), so the subtasks of one chain and the threads of one pool add up.
         */
        private static String threadGroup(final String name) {
            return name.replaceAll(" \\(\\d+/\\d+\\)(#\\d+)?$", "")
                    .replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "<id>")
                    .replaceAll("\\d+", "N");
        }
    }

    private static Map<String, String> libraries() {
        final Map<String, String> libraries = new LinkedHashMap<>();
        libraries.put("org.apache.iceberg.shaded.org.apache.parquet", "Parquet (Iceberg's)");
        libraries.put("org.apache.parquet", "Parquet");
        libraries.put("com.github.luben.zstd", "zstd (JNI)");
        libraries.put("org.apache.iceberg.shaded.com.github.luben.zstd", "zstd (JNI)");
        libraries.put("org.apache.iceberg.shaded.com.fasterxml.jackson", "Jackson (JSON)");
        libraries.put("org.apache.iceberg", "Iceberg");
        libraries.put("org.rocksdb", "RocksDB (JNI)");
        libraries.put("org.apache.flink.state", "Flink state backend");
        libraries.put("org.apache.flink.contrib.streaming.state", "Flink state backend");
        libraries.put("org.apache.flink.api.common.typeutils", "Flink serializers");
        libraries.put("org.apache.flink.api.java.typeutils", "Flink serializers");
        libraries.put("org.apache.flink.table.runtime.typeutils", "Flink serializers");
        libraries.put("org.apache.flink.core.memory", "Flink serializers");
        libraries.put("org.apache.flink.shaded.jackson2", "Jackson (JSON)");
        libraries.put("org.apache.flink.runtime.io.network", "Flink network stack");
        libraries.put("org.apache.flink.streaming.runtime.io", "Flink network stack");
        libraries.put("org.apache.flink.connector.kafka", "Flink Kafka connector");
        libraries.put("org.apache.flink.connector.base", "Flink Kafka connector");
        libraries.put("org.apache.flink", "Flink runtime (other)");
        libraries.put("org.apache.kafka", "Kafka client");
        libraries.put("com.fasterxml.jackson", "Jackson (JSON)");
        libraries.put("io.debezium", "Debezium");
        libraries.put("org.postgresql", "PostgreSQL JDBC");
        libraries.put("org.apache.hadoop", "Hadoop FS");
        libraries.put("io.loyaltylakehouse", "this project");
        return libraries;
    }
}
