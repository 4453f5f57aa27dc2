package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.stack.ModuleCommand;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Issue 3's benchmark on one broker, in one run:
 * (a) raw consume-and-produce with plain clients and no processing (the baseline);
 * (b) edge-streams with exactly-once over the same backlog, as a ratio of (a);
 * (c) latency from a purchase produced to its balance update visible to a read_committed consumer,
 *     at a steady rate;
 * (d) edge-streams' purchases/s with 10 and with 10,000 active promotions in its store (issue 10).
 * edge-streams runs as its own process, exactly as the launcher starts it, on topics of its own per run. Its rate
 * is measured at the end of the pipeline: ledger entries visible to read_committed, first to last.
 */
final class EdgeStreamsBench {
    private final Settings settings;
    private final Path repoDir;
    private final int events;
    private final int latencyRate;
    private final Duration latencyDuration;
    private final int promotionEvents;
    private final String run = BenchKafka.newRunId();

    EdgeStreamsBench(
            final Settings settings,
            final Path repoDir,
            final int events,
            final int latencyRate,
            final Duration latencyDuration,
            final int promotionEvents) {
        this.settings = settings;
        this.repoDir = repoDir;
        this.events = events;
        this.latencyRate = latencyRate;
        this.latencyDuration = latencyDuration;
        this.promotionEvents = promotionEvents;
    }

    private String topic(final String name) {
        return BenchKafka.topicName(run, name);
    }

    /** The topics of one edge-streams run: {@code tag} "" for the main one. */
    private String topic(final String tag, final String name) {
        return topic(tag + name);
    }

    /**
     * {@code count} promotions, all active over the backlog, spread over 1,000 stores (the backlog's 50 stores get
     * {@code count / 1000} each, at least one): with 10,000 a purchase has 10 of its store's among them.
     */
    static List<byte[][]> promotions(final int count, final Instant start) {
        final List<byte[][]> out = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            final String id = "p-" + index;
            final String json = "{\"promo_id\":\"" + id + "\",\"multiplier\":" + (2 + index % 3) + ",\"store_id\":\"s-"
                    + (index % 1000) + "\",\"starts_at\":\"" + start.minus(Duration.ofHours(1)) + "\",\"ends_at\":\""
                    + start.plus(Duration.ofHours(10)) + "\"}";
            out.add(new byte[][] {id.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)});
        }
        return out;
    }

    /** Purchases spread over 10,000 users and 10 ms of event time apart, so fraud pauses stay rare. */
    static List<byte[][]> purchases(final int count, final String prefix, final Instant start) {
        final List<byte[][]> out = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            final String user = prefix + (index % 10_000);
            final String json = "{\"transaction_id\":\"" + prefix + "t-" + index + "\",\"user_id\":\"" + user
                    + "\",\"amount\":\"" + (1 + index % 40) + ".50\",\"currency\":\"USD\",\"store_id\":\"s-"
                    + (index % 50)
                    + "\",\"event_time\":\"" + start.plusMillis(index * 10L) + "\"}";
            out.add(new byte[][] {user.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8)});
        }
        return out;
    }

    BenchReport run() throws Exception {
        final String bootstrap = settings.require("kafka.bootstrap");
        final BenchReport report = new BenchReport("edge-streams: throughput and latency vs raw Kafka")
                .setting("broker", "single-node KRaft, Kafka 4.3.0, 4 partitions per topic, in its own JVM")
                .setting("events in backlog", String.format("%,d purchases (~190 B JSON each), 10,000 users", events))
                .setting(
                        "baseline (a)",
                        "one KafkaConsumer -> one KafkaProducer (acks=all, idempotent, lz4), sync commit per poll")
                .setting(
                        "edge-streams (b)",
                        "exactly_once_v2, 1 stream thread, commit.interval.ms="
                                + "50, producer linger.ms=5 (edge-streams.properties defaults)")
                .setting(
                        "latency (c)",
                        latencyRate + " purchases/s for " + latencyDuration.toSeconds()
                                + " s, one new user per purchase, read_committed consumer on the balance topic");
        try (BenchKafka kafka = new BenchKafka(bootstrap)) {
            final List<String> edgeTopics =
                    List.of("purchases", "redemptions", "promotions", "ledger", "realtime", "fraud", "late", "results");
            final List<String> all = new ArrayList<>(List.of(topic("raw_in"), topic("raw_out")));
            edgeTopics.forEach(name -> all.add(topic(name)));
            List.of("purchases", "redemptions", "promotions").forEach(name -> all.add(topic(name) + ".dlq"));
            kafka.createTopics(all, 4);

            final Instant start = Instant.now().minus(Duration.ofHours(2));
            final List<byte[][]> backlog = purchases(events, "u" + run + "-", start);
            // Warm the broker and the JIT before measuring anything.
            kafka.produceAll(topic("raw_in"), purchases(Math.min(events, 200_000), "w" + run + "-", start));
            rawPassThrough(kafka, topic("raw_in"), topic("raw_out"), "bench-warmup-" + run, Math.min(events, 200_000));

            kafka.produceAll(topic("raw_in"), backlog);
            final double raw;
            final ThroughputSampler rawSampler =
                    ThroughputSampler.topic("(a) raw consume -> produce", kafka, topic("raw_out"));
            try (rawSampler) {
                raw = rawPassThrough(
                        kafka,
                        topic("raw_in"),
                        topic("raw_out"),
                        "bench-raw-" + run,
                        events + Math.min(events, 200_000));
            }

            kafka.produceAll(topic("purchases"), backlog);
            final Process edge = startEdgeStreams(bootstrap, "");
            try {
                final double streams;
                final ThroughputSampler edgeSampler =
                        ThroughputSampler.topic("(b) edge-streams, ledger visible", kafka, topic("ledger"));
                try (edgeSampler) {
                    streams = awaitLedger(kafka, topic("ledger"), events, edge);
                }
                final long[] latencies = latency(kafka, start.plus(Duration.ofHours(1)));
                report.table(
                        "Throughput (same broker, same backlog)",
                        List.of("what", "records/s", "ratio to (a)"),
                        List.of(
                                List.of("(a) raw consume -> produce, no processing", BenchReport.format(raw), "1.00"),
                                List.of(
                                        "(b) edge-streams, exactly-once, full rules",
                                        BenchReport.format(streams),
                                        String.format("%.2f", streams / raw))));
                report.table(
                        "Latency: purchase produced -> balance visible to read_committed",
                        List.of("p50 ms", "p99 ms", "max ms", "samples"),
                        List.of(List.of(
                                Long.toString(BenchReport.percentile(latencies, 50)),
                                Long.toString(BenchReport.percentile(latencies, 99)),
                                Long.toString(latencies.length == 0 ? 0 : latencies[latencies.length - 1]),
                                Integer.toString(latencies.length))));
                report.note(
                        "Targets from issue 3 on 2 cores: (b) >= 50% of (a), p99 <= 100 ms. The broker, the load "
                                + "producer, the consumer and edge-streams share the same 2 cores. Under exactly-once, output is "
                                + "visible only at commit, so latency is about half the commit interval plus the commit itself. "
                                + "Records the broker writes per accepted purchase under the transaction: 6 (events-by-id, "
                                + "claimed-ids changelog, events-by-user, ledger, balance, accounts changelog); before global ids: 4.");
                report.chart(
                        "edge-streams-throughput",
                        "throughput over time: raw baseline and edge-streams",
                        BenchChart.throughput(
                                "Throughput over time (same broker, same backlog)",
                                List.of(rawSampler.series(), edgeSampler.series())));
                report.chart(
                        "edge-streams-latency",
                        "latency distribution: purchase -> balance visible",
                        BenchChart.latency(
                                "Purchase produced -> balance visible to read_committed, " + latencyRate + "/s",
                                "ms",
                                Map.of("edge-streams", latencies)));
            } finally {
                stop(edge);
            }

            final List<List<String>> rows = new ArrayList<>();
            for (final int count : List.of(10, 10_000)) {
                final String tag = "p" + count + "_";
                final List<String> names = new ArrayList<>();
                edgeTopics.forEach(name -> names.add(topic(tag, name)));
                List.of("purchases", "redemptions", "promotions").forEach(name -> names.add(topic(tag, name) + ".dlq"));
                kafka.createTopics(names, 4);
                awaitLeaders(kafka, topic(tag, "promotions"));
                kafka.produceAll(topic(tag, "promotions"), promotions(count, start));
                kafka.produceAll(topic(tag, "purchases"), purchases(promotionEvents, "u" + run + tag, start));
                final Process withPromotions = startEdgeStreams(bootstrap, tag);
                try {
                    final double rate = awaitLedger(kafka, topic(tag, "ledger"), promotionEvents, withPromotions);
                    rows.add(List.of(String.format("%,d", count), BenchReport.format(rate)));
                } finally {
                    stop(withPromotions);
                }
            }
            report.table(
                    String.format(
                            "(d) Promotions in the store vs purchases/s (%,d purchases of 50 stores, "
                                    + "promotions over 1,000 stores, all active)",
                            promotionEvents),
                    List.of("promotions", "purchases/s"),
                    rows);
            report.note("A purchase reads only its store's and every store's promotions that have not ended "
                    + "(edge-streams PromotionStore): about 10 of the 10,000 here.");
        }
        return report;
    }

    /** A topic just created may not have leaders yet; producing then makes idempotent retries go out of order. */
    private static void awaitLeaders(final BenchKafka kafka, final String topic) throws InterruptedException {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("bench-metadata-" + topic, false)) {
            while (consumer.partitionsFor(topic).stream()
                    .anyMatch(info -> info.leader() == null || info.leader().isEmpty())) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    private static void stop(final Process edge) throws InterruptedException {
        edge.destroy();
        edge.waitFor(60, TimeUnit.SECONDS);
    }

    private Process startEdgeStreams(final String bootstrap, final String tag) throws Exception {
        return startEdgeStreams(bootstrap, tag, 0);
    }

    private Process startEdgeStreams(final String bootstrap, final String tag, final int httpPort) throws Exception {
        final List<String> command = ModuleCommand.of(
                        repoDir,
                        "bench-edge-streams",
                        "edge-streams",
                        "io.loyaltylakehouse.edge.EdgeStreamsApp",
                        "512m")
                .orElseThrow(() -> new IllegalStateException("edge-streams is not built: run `make build`"));
        final Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP", bootstrap);
        env.put("EDGE_APPLICATION_ID", "bench-edge-" + tag + run);
        env.put("EDGE_STATE_DIR", Files.createTempDirectory("bench-edge").toString());
        env.put("EDGE_HTTP_PORT", Integer.toString(httpPort));
        env.put("EDGE_TOPIC_PURCHASE_EVENTS", topic(tag, "purchases"));
        env.put("EDGE_TOPIC_REDEMPTION_EVENTS", topic(tag, "redemptions"));
        env.put("EDGE_TOPIC_PROMOTIONS", topic(tag, "promotions"));
        env.put("EDGE_TOPIC_POINTS_LEDGER", topic(tag, "ledger"));
        env.put("EDGE_TOPIC_LOYALTY_POINTS_REALTIME", topic(tag, "realtime"));
        env.put("EDGE_TOPIC_FRAUD_ALERTS", topic(tag, "fraud"));
        env.put("EDGE_TOPIC_LATE_EVENTS", topic(tag, "late"));
        env.put("EDGE_TOPIC_REDEMPTION_RESULTS", topic(tag, "results"));
        final ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        Files.createTempFile("bench-edge", ".log").toFile()));
        builder.environment().putAll(env);
        return builder.start();
    }

    /** Plain clients forwarding every record unchanged; records/s from first poll to last commit. */
    static double rawPassThrough(
            final BenchKafka kafka, final String in, final String out, final String group, final long expected)
            throws Exception {
        long forwarded = 0;
        long started = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer(group, false);
                KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            consumer.subscribe(List.of(in));
            while (forwarded < expected) {
                final var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    continue;
                }
                if (started == 0) {
                    started = System.nanoTime();
                }
                final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (final ConsumerRecord<byte[], byte[]> record : records) {
                    producer.send(new ProducerRecord<>(out, record.key(), record.value()));
                    offsets.put(
                            new TopicPartition(record.topic(), record.partition()),
                            new OffsetAndMetadata(record.offset() + 1));
                }
                producer.flush();
                consumer.commitSync(offsets);
                forwarded += records.count();
            }
        }
        return forwarded / ((System.nanoTime() - started) / 1e9);
    }

    /** edge-streams' purchases/s at the end of the pipeline: ledger entries visible to read_committed, first to last. */
    static double awaitLedger(final BenchKafka kafka, final String ledger, final long expected, final Process process)
            throws Exception {
        try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("bench-ledger-" + ledger, true)) {
            final List<TopicPartition> partitions = consumer.partitionsFor(ledger).stream()
                    .map(info -> new TopicPartition(ledger, info.partition()))
                    .toList();
            consumer.assign(partitions);
            long firstSeen = 0;
            long firstAt = 0;
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("edge-streams exited with code " + process.exitValue());
                }
                // read_committed: the end offset is the last stable offset, what a downstream reader sees
                final long visible = consumer.endOffsets(partitions).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
                if (visible > 0 && firstAt == 0) {
                    firstAt = System.nanoTime();
                    firstSeen = visible;
                }
                if (visible >= expected) {
                    return (visible - firstSeen) / ((System.nanoTime() - firstAt) / 1e9);
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** Steady purchases of new users; each user's first balance update is that purchase's effect. */
    private long[] latency(final BenchKafka kafka, final Instant eventTimeBase) throws Exception {
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final List<Long> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
        final AtomicBoolean done = new AtomicBoolean();
        final Thread reader = new Thread(
                () -> {
                    try (KafkaConsumer<byte[], byte[]> consumer = kafka.consumer("bench-latency-" + run, true)) {
                        consumer.subscribe(List.of(topic("realtime")));
                        while (!done.get()) {
                            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(20))) {
                                final Long sent = sentAt.remove(new String(record.key(), StandardCharsets.UTF_8));
                                if (sent != null) {
                                    latencies.add((System.nanoTime() - sent) / 1_000_000);
                                }
                            }
                        }
                    }
                },
                "bench-latency-reader");
        reader.start();
        TimeUnit.SECONDS.sleep(3);
        final long total = latencyRate * latencyDuration.toSeconds();
        final long intervalNanos = 1_000_000_000L / latencyRate;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            final long begin = System.nanoTime();
            for (long index = 0; index < total; index++) {
                final long due = begin + index * intervalNanos;
                while (System.nanoTime() < due) {
                    Thread.onSpinWait();
                }
                final String user = "lat-" + run + "-" + index;
                final String json = "{\"transaction_id\":\"lat-" + run + "-" + index + "\",\"user_id\":\"" + user
                        + "\",\"amount\":\"12.00\",\"currency\":\"USD\",\"store_id\":\"s-1\",\"event_time\":\""
                        + eventTimeBase.plusMillis(index) + "\"}";
                sentAt.put(user, System.nanoTime());
                producer.send(new ProducerRecord<>(
                        topic("purchases"),
                        user.getBytes(StandardCharsets.UTF_8),
                        json.getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!sentAt.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        done.set(true);
        reader.join();
        final long[] sorted = latencies.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    int events() {
        return events;
    }

    /**
     * edge-streams' purchases/s over a backlog of {@link #events()} purchases on topics of its own (named with
     * {@code tag}), its HTTP port (/metrics) on {@code httpPort}: the scrape-cost benchmark's measurement.
     */
    double backlogRate(final BenchKafka kafka, final String tag, final int httpPort) throws Exception {
        final List<String> names = new ArrayList<>();
        List.of("purchases", "redemptions", "promotions", "ledger", "realtime", "fraud", "late", "results")
                .forEach(name -> names.add(topic(tag, name)));
        List.of("purchases", "redemptions", "promotions").forEach(name -> names.add(topic(tag, name) + ".dlq"));
        kafka.createTopics(names, 4);
        awaitLeaders(kafka, topic(tag, "purchases"));
        kafka.produceAll(
                topic(tag, "purchases"),
                purchases(events, "u" + run + tag, Instant.now().minus(Duration.ofHours(2))));
        final Process process = startEdgeStreams(settings.require("kafka.bootstrap"), tag, httpPort);
        try {
            return awaitLedger(kafka, topic(tag, "ledger"), events, process);
        } finally {
            stop(process);
        }
    }
}
