package io.loyaltylakehouse.bench;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LedgerEntry.EntryType;
import io.loyaltylakehouse.common.model.LedgerEntry.LedgerStatus;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.common.trino.TrinoLogin;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import io.loyaltylakehouse.reconciler.ReconcilerJob;
import io.loyaltylakehouse.reconciler.config.ReconcilerConfig;
import io.loyaltylakehouse.reconciler.maintenance.TableCompaction;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Issue 5's benchmark, in one run on the bench stack's broker, JDBC catalog and Trino:
 * (a) the baseline, a plain Iceberg upsert sink on business_key without reconciliation, and
 * (b) the reconciler pipeline, both at the same parallelism over the same backlog of real-time ledger entries and
 *     legacy changes (some keys recorded by both systems), as input records/s into Iceberg;
 * (c) freshness: a steady trickle of ledger entries into the running reconciler, produce -> visible in Trino;
 * (d) data and delete files per table before and after compaction, and what a Trino scan costs then.
 * Both jobs run in this JVM on local MiniClusters (see {@link FlinkReconcilerBenchJobs}) with namespaces
 * {@code bench_<run>} and {@code bench_<run>_baseline} in catalog {@code loyalty} and topics of their own.
 */
final class FlinkReconcilerBench {
    private static final int USERS = 10_000;
    /** Every tenth dual-recorded key has legacy points that differ: a CONFLICT. */
    private static final int CONFLICT_EVERY = 10;

    private static final Duration TRINO_POLL = Duration.ofMillis(250);

    private final Settings settings;
    private final int events;
    private final int legacyChanges;
    private final int freshnessRate;
    private final Duration freshnessDuration;
    private final Duration checkpointInterval;
    private final int parallelism;
    private final String run = BenchKafka.newRunId();
    private final String namespace = "bench_" + run;

    FlinkReconcilerBench(
            final Settings settings,
            final int events,
            final int legacyChanges,
            final int freshnessRate,
            final Duration freshnessDuration,
            final Duration checkpointInterval,
            final int parallelism) {
        this.settings = settings;
        this.events = events;
        this.legacyChanges = legacyChanges;
        this.freshnessRate = freshnessRate;
        this.freshnessDuration = freshnessDuration;
        this.checkpointInterval = checkpointInterval;
        this.parallelism = parallelism;
    }

    private String topic(final String name) {
        return BenchKafka.topicName(run, name);
    }

    /** What the backlog planted, by the audit resolution the reconciler must reach. */
    record Backlog(long realtime, long legacy, long merged, long conflicts) {
        long total() {
            return realtime + legacy;
        }

        long legacyOnly() {
            return legacy - merged - conflicts;
        }
    }

    /**
     * A drained backlog: wall time from job submit to the commit covering it, and on the way the steady rate and the
     * CPU this JVM (the Flink job, in effect) spent per 1,000 records, which the other work on the machine skews less.
     */
    record Drain(
            long records,
            double wallSeconds,
            double steadyRate,
            double cpuMsPerThousand,
            double jitMsPerThousand,
            int commits,
            double[] commitSeconds,
            double[] committedRecords) {
        double wallRate() {
            return records / wallSeconds;
        }

        /** Records committed to Iceberg so far against seconds since job submit, for the chart. */
        BenchChart.Series progress(final String name) {
            return new BenchChart.Series(name, commitSeconds, committedRecords);
        }
    }

    BenchReport run() throws Exception {
        final String loadBefore = loadAverage();
        final Path workDir = Files.createTempDirectory("bench-flink-reconciler");
        final ReconcilerConfig reconciler = config(namespace, workDir, parallelism);
        final ReconcilerConfig reconcilerSingle = config(namespace + "_p1", workDir, 1);
        final ReconcilerConfig baseline = config(namespace + "_baseline", workDir, parallelism);
        final ReconcilerConfig warmUp = config(namespace + "_warmup", workDir, 1);
        final BenchReport report = new BenchReport("flink-reconciler: ledger rows reconciled into Iceberg, freshness "
                        + "in Trino, files before and after compaction, vs a plain upsert sink")
                .setting(
                        "Flink",
                        "2.1.1 in the bench JVM (-Xmx2g), a local MiniCluster per job, parallelism " + parallelism
                                + ", exactly-once checkpoints every " + checkpointInterval.toSeconds()
                                + " s (job default 10 s), "
                                + "RocksDB state with incremental checkpoints to filesystem storage (the job's "
                                + "defaults, ReconcilerJob.flinkConfiguration)")
                .setting(
                        "Iceberg",
                        "1.11.0 FlinkSink, upsert on business_key, tables bucketed by business_key into "
                                + LoyaltyTables.LEDGER_BUCKETS + ", "
                                + "JDBC catalog in PostgreSQL, local file warehouse")
                .setting("broker", "single-node KRaft, Kafka 4.3.0, 4 partitions per input topic");
        final List<String> inputs = List.of(
                topic("points_ledger"),
                topic("legacy_ledger_changes"),
                topic("legacy_members"),
                topic("fraud_alerts"),
                topic("late_events"));
        try (BenchKafka kafka = new BenchKafka(settings);
                JdbcCatalog catalog = reconciler.catalog().open();
                Connection trino = trino()) {
            try {
                kafka.createTopics(inputs, 4);
                kafka.createTopics(List.of(reconciler.deadLetterTopic()), 1);
                ReconcilerJob.provisionTables(reconciler);
                ReconcilerJob.provisionTables(reconcilerSingle);
                ReconcilerJob.provisionTables(baseline);
                ReconcilerJob.provisionTables(warmUp);
                final Backlog backlog = produceBacklog(kafka);
                report.setting(
                                "backlog",
                                String.format(
                                        "%,d real-time ledger entries (LedgerEntry JSON, key user_id, "
                                                + "%,d users) and %,d legacy changes (key business key): %,d of them dual-recorded with equal "
                                                + "points, %,d with different points, %,d legacy-only",
                                        backlog.realtime(),
                                        USERS,
                                        backlog.legacy(),
                                        backlog.merged(),
                                        backlog.conflicts(),
                                        backlog.legacyOnly()))
                        .setting(
                                "baseline (a)",
                                "the job's Kafka sources and parser on the same two topics, each record "
                                        + "mapped alone to its ledger row (Reconciliation.decide with one side), the job's "
                                        + "FlinkSink upsert into one table; no keyed state, no audit")
                        .setting(
                                "reconciler (b)",
                                "ReconcilerPipeline as ReconcilerJob builds it: five Kafka sources "
                                        + "(three empty here), keyed state per business key, ledger and audit upserts, dead "
                                        + "letters to Kafka")
                        .setting(
                                "freshness (c)",
                                freshnessRate + " new ledger entries/s for " + freshnessDuration.toSeconds()
                                        + " s into the running reconciler; visible = first Trino query (as loyalty_admin, "
                                        + "polling every " + TRINO_POLL.toMillis() + " ms) that returns the key")
                        .setting(
                                "compaction (d)",
                                "TableCompaction.maintain as the job schedules it: Flink "
                                        + "rewriteDataFiles, then expireSnapshots keeping the last one; after both jobs stopped");
                warmUp(kafka, warmUp, backlog);
                measure(kafka, catalog, trino, reconciler, reconcilerSingle, baseline, backlog, report, workDir);
            } finally {
                for (final ReconcilerConfig config : List.of(reconciler, reconcilerSingle, baseline, warmUp)) {
                    dropNamespace(catalog, config.namespace());
                }
                final List<String> topics = new ArrayList<>(inputs);
                topics.add(reconciler.deadLetterTopic());
                kafka.deleteTopics(topics);
                try (var files = Files.walk(workDir)) {
                    files.sorted(Comparator.reverseOrder())
                            .forEach(path -> path.toFile().delete());
                }
            }
        }
        report.note("Kafka, PostgreSQL, Trino, the Flink jobs, the load producer and the Trino poller share the "
                + "machine, which other work was using too: 1-minute load average " + loadBefore + " before, "
                + loadAverage()
                + " after. An unmeasured reconciler at parallelism 1 drained the backlog first, so the JIT had compiled "
                + "the parsing, state and Iceberg writing code before any measured job; then the reconciler, the "
                + "reconciler at parallelism 1 and the baseline, in that order. Steady rates are input records committed to Iceberg per second between the first and the "
                + "last checkpoint before the backlog was drained (Kafka offsets committed on checkpoint, read every "
                + "100 ms); CPU is this JVM's CPU time over the same window per 1,000 "
                + "records (the broker, PostgreSQL and Trino run in their own processes and are not in it), and of it "
                + "the CPU time of the JIT compiler threads (from /proc), which the execution samples below do not "
                + "show; the wall time "
                + "runs from job submit (MiniCluster start, table loading) to the checkpoint that covered the whole "
                + "backlog. Each reconciled record writes a ledger row and an audit row. The profile samples this JVM's "
                + "running Java threads every 10 ms (JFR profile settings) from job submit to drained; a library is "
                + "the first non-JDK frame from the top of the stack; the CPU column spreads the CPU per 1,000 "
                + "records less the JIT compilers' by those shares (threads in native code outside the JVM's view, "
                + "e.g. RocksDB or zstd compaction threads, are not sampled).");
        return report;
    }

    private ReconcilerConfig config(final String ns, final Path workDir, final int parallelism) {
        final Map<String, String> overrides = new HashMap<>();
        overrides.put("reconciler.job.name", "bench-" + ns);
        overrides.put("reconciler.namespace", ns);
        overrides.put("reconciler.parallelism", Integer.toString(parallelism));
        overrides.put("reconciler.checkpoint.interval", checkpointInterval.toMillis() + "ms");
        overrides.put(
                "reconciler.checkpoint.dir",
                workDir.resolve("checkpoints").resolve(ns).toString());
        overrides.put("reconciler.topic.points-ledger", topic("points_ledger"));
        overrides.put("reconciler.topic.legacy-ledger-changes", topic("legacy_ledger_changes"));
        overrides.put("reconciler.topic.legacy-members", topic("legacy_members"));
        overrides.put("reconciler.topic.fraud-alerts", topic("fraud_alerts"));
        overrides.put("reconciler.topic.late-events", topic("late_events"));
        overrides.put("reconciler.topic.dead-letters", topic("reconciler_dlq"));
        overrides.put("reconciler.kafka.group-id", "bench-" + ns);
        overrides.put("reconciler.kafka.starting-offsets", "earliest");
        overrides.put("kafka.bootstrap", settings.require("kafka.bootstrap"));
        overrides.put("iceberg.warehouse", workDir.resolve("warehouse").toUri().toString());
        return ReconcilerConfig.from(Settings.load(ReconcilerConfig.COMPONENT).with(overrides));
    }

    /**
     * Drains the backlog once, unmeasured, into its own tables, so compiling Jackson, Parquet and Flink's code does
     * not count against whichever job is measured first (with it, the reconciler at parallelism 2 still costs
     * several times the CPU per record of parallelism 1: bench/results/flink-reconciler.md).
     */
    private void warmUp(final BenchKafka kafka, final ReconcilerConfig warmUp, final Backlog backlog) throws Exception {
        final long start = System.nanoTime();
        final JobClient job = FlinkReconcilerBenchJobs.reconciler(warmUp);
        try {
            drain(kafka, warmUp.kafkaGroupId(), backlog.total(), job, start);
        } finally {
            FlinkReconcilerBenchJobs.cancel(job);
        }
    }

    private void measure(
            final BenchKafka kafka,
            final JdbcCatalog catalog,
            final Connection trino,
            final ReconcilerConfig reconciler,
            final ReconcilerConfig reconcilerSingle,
            final ReconcilerConfig baseline,
            final Backlog backlog,
            final BenchReport report,
            final Path workDir)
            throws Exception {
        final long trickled = freshnessRate * freshnessDuration.toSeconds();
        final Drain reconciled;
        final JfrProfile.Summary reconcilerProfile;
        final long[] freshness;
        final long reconcilerStart = System.nanoTime();
        final JobClient reconcilerJob = FlinkReconcilerBenchJobs.reconciler(reconciler);
        try {
            final JfrProfile profile = JfrProfile.ofThisJvm(workDir.resolve("reconciler.jfr"));
            reconciled = drain(kafka, reconciler.kafkaGroupId(), backlog.total(), reconcilerJob, reconcilerStart);
            reconcilerProfile = profile.stop();
            freshness = freshness(kafka, trino, reconcilerJob);
        } finally {
            FlinkReconcilerBenchJobs.cancel(reconcilerJob);
        }
        final Drain single;
        final long singleStart = System.nanoTime();
        final JobClient singleJob = FlinkReconcilerBenchJobs.reconciler(reconcilerSingle);
        try {
            single = drain(kafka, reconcilerSingle.kafkaGroupId(), backlog.total() + trickled, singleJob, singleStart);
        } finally {
            FlinkReconcilerBenchJobs.cancel(singleJob);
        }
        final Drain plain;
        final JfrProfile.Summary baselineProfile;
        final long baselineStart = System.nanoTime();
        final JobClient baselineJob = FlinkReconcilerBenchJobs.baseline(baseline);
        try {
            final JfrProfile profile = JfrProfile.ofThisJvm(workDir.resolve("baseline.jfr"));
            plain = drain(kafka, baseline.kafkaGroupId(), backlog.total() + trickled, baselineJob, baselineStart);
            baselineProfile = profile.stop();
        } finally {
            FlinkReconcilerBenchJobs.cancel(baselineJob);
        }
        report.table(
                "Throughput: input records into Iceberg (same backlog, same sources, same sink)",
                List.of(
                        "what",
                        "parallelism",
                        "steady records/s",
                        "ratio to (a)",
                        "CPU ms per 1,000 records",
                        "of it JIT compiling, ms per 1,000",
                        "records",
                        "wall s, submit -> drained",
                        "records/s over the wall time",
                        "wall-time ratio to (a)",
                        "checkpoints"),
                List.of(
                        drainRow("(a) baseline: plain upsert sink, no reconciliation", parallelism, plain, plain),
                        drainRow("(b) reconciler: keyed state, ledger + audit upserts", parallelism, reconciled, plain),
                        drainRow("(b1) reconciler, one subtask per operator", 1, single, plain)));
        final List<List<String>> profileRows = new ArrayList<>();
        for (final var job : List.of(
                Map.entry("(a) baseline", Map.entry(baselineProfile, plain)),
                Map.entry("(b) reconciler", Map.entry(reconcilerProfile, reconciled)))) {
            final JfrProfile.Summary profile = job.getValue().getKey();
            // the samples are of Java threads, so they share out the CPU less the JIT compilers'
            final Drain drain = job.getValue().getValue();
            final double cpu = drain.cpuMsPerThousand() - drain.jitMsPerThousand();
            for (final List<String> row : profile.rows("library", 10, cpu)) {
                profileRows.add(prepend(job.getKey(), row));
            }
            for (final List<String> row : profile.rows("thread", 8, cpu)) {
                profileRows.add(prepend(job.getKey(), row));
            }
            for (final List<String> row : profile.rows("method", 10, cpu)) {
                profileRows.add(prepend(job.getKey(), row));
            }
            for (final List<String> row : profile.rows("caller", 8, cpu)) {
                profileRows.add(prepend(job.getKey(), row));
            }
        }
        report.table(
                "Profile: where this JVM's CPU goes while the backlog drains (JFR execution samples, parallelism "
                        + parallelism + ")",
                List.of("job", "by", "what", "share of samples", "~ CPU ms per 1,000 records"),
                profileRows);
        report.table(
                "(c) Freshness: ledger entry produced -> visible in Trino",
                List.of("p50 ms", "p95 ms", "max ms", "samples", "of sent"),
                List.of(List.of(
                        Long.toString(BenchReport.percentile(freshness, 50)),
                        Long.toString(BenchReport.percentile(freshness, 95)),
                        Long.toString(freshness.length == 0 ? -1 : freshness[freshness.length - 1]),
                        Integer.toString(freshness.length),
                        Long.toString(trickled))));
        report.chart(
                "flink-reconciler-throughput",
                "input records committed to Iceberg since job submit: the plain upsert sink and the reconciler",
                BenchChart.lines(
                        "Input records committed to Iceberg (steps: one per checkpoint)",
                        "seconds since job submit",
                        "records committed",
                        List.of(
                                plain.progress("(a) baseline: plain upsert sink, p=" + parallelism),
                                reconciled.progress("(b) reconciler, p=" + parallelism),
                                single.progress("(b1) reconciler, p=1"))));
        report.chart(
                "flink-reconciler-freshness",
                "ledger entry produced -> visible in Trino",
                BenchChart.latency(
                        "Ledger entry produced -> visible in Trino, " + freshnessRate + "/s, checkpoints every "
                                + checkpointInterval.toSeconds() + " s",
                        "ms",
                        Map.of("(c) reconciler, p=" + parallelism, freshness)));
        report.table(
                "(d) Files per table before and after compaction",
                List.of(
                        "table",
                        "rows (distinct keys)",
                        "data files before",
                        "delete files before",
                        "Trino scan ms before",
                        "data files after",
                        "delete files after",
                        "Trino scan ms after",
                        "compaction ms"),
                List.of(
                        compact(catalog, trino, reconciler.namespace(), LoyaltyTables.POINTS_LEDGER),
                        compact(catalog, trino, reconciler.namespace(), LoyaltyTables.RECONCILIATION_AUDIT),
                        compact(catalog, trino, baseline.namespace(), LoyaltyTables.POINTS_LEDGER)));
        report.table(
                "Check: the reconciler's audit read through Trino vs what the backlog planted",
                List.of("resolution", "planted", "in reconciliation_audit"),
                auditCheck(trino, backlog, trickled));
    }

    private static List<String> prepend(final String first, final List<String> rest) {
        final List<String> row = new ArrayList<>();
        row.add(first);
        row.addAll(rest);
        return row;
    }

    private static List<String> drainRow(
            final String what, final int parallelism, final Drain drain, final Drain baseline) {
        return List.of(
                what,
                Integer.toString(parallelism),
                BenchReport.format(drain.steadyRate()),
                String.format("%.2f", drain.steadyRate() / baseline.steadyRate()),
                String.format("%.0f", drain.cpuMsPerThousand()),
                String.format("%.0f", drain.jitMsPerThousand()),
                String.format("%,d", drain.records()),
                String.format("%.1f", drain.wallSeconds()),
                BenchReport.format(drain.wallRate()),
                String.format("%.2f", drain.wallRate() / baseline.wallRate()),
                Integer.toString(drain.commits()));
    }

    /** Real-time entries first, then the legacy changes; half of the legacy changes are for real-time keys. */
    private Backlog produceBacklog(final BenchKafka kafka) throws Exception {
        final Instant start = Instant.now().minus(Duration.ofHours(2));
        final int dual = Math.min(legacyChanges / 2, events);
        final int stride = dual == 0 ? 1 : events / dual;
        long conflicts = 0;
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            for (int i = 0; i < events; i++) {
                final LedgerEntry entry = purchase(
                        "t-" + run + "-" + i,
                        "u-" + (i % USERS),
                        points(i),
                        start.plusMillis(i),
                        start.plusMillis(i + 40L));
                send(producer, topic("points_ledger"), entry.userId(), entry);
            }
            for (int j = 0; j < legacyChanges; j++) {
                final long txnId = 1_000_000_000L + j;
                final Instant at = start.plusMillis(j + 1000L);
                final LegacyLedgerChange change;
                if (j < dual) {
                    final int i = j * stride;
                    final boolean conflict = j % CONFLICT_EVERY == 0;
                    conflicts += conflict ? 1 : 0;
                    final String key = "t-" + run + "-" + i;
                    change = new LegacyLedgerChange(
                            ChangeOp.c,
                            key,
                            txnId,
                            1 + i % USERS,
                            "u-" + (i % USERS),
                            points(i) + (conflict ? 5 : 0),
                            "EARN",
                            BigDecimal.valueOf(points(i)),
                            key,
                            at,
                            at,
                            j + 1L);
                } else {
                    change = new LegacyLedgerChange(
                            ChangeOp.c,
                            LegacyLedgerChange.businessKeyOf(txnId, null),
                            txnId,
                            1 + j % USERS,
                            "legacy-" + (1 + j % USERS),
                            1 + j % 30,
                            "EARN",
                            BigDecimal.valueOf(1 + j % 30),
                            null,
                            at,
                            at,
                            j + 1L);
                }
                send(producer, topic("legacy_ledger_changes"), change.businessKey(), change);
            }
            producer.flush();
        }
        return new Backlog(events, legacyChanges, dual - conflicts, conflicts);
    }

    private static LedgerEntry purchase(
            final String key, final String user, final long points, final Instant eventTime, final Instant recordedAt) {
        return new LedgerEntry(
                key,
                user,
                points,
                0,
                LedgerStatus.AWARDED,
                EntryType.EARN,
                key,
                null,
                "s-" + (points % 50),
                BigDecimal.valueOf(points),
                1,
                eventTime,
                recordedAt);
    }

    private static long points(final int index) {
        return 1 + index % 50;
    }

    private static void send(
            final KafkaProducer<byte[], byte[]> producer, final String topic, final String key, final Object value) {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), Json.toBytes(value)));
    }

    /**
     * Waits until the job's committed offsets (Flink commits them to the group on each completed checkpoint, with the
     * Iceberg commit) cover {@code expected} records of the two ledger topics. The steady rate runs from the first
     * commit to the last one before the end, so neither start-up nor the idle tail of the last interval counts.
     */
    private Drain drain(
            final BenchKafka kafka, final String group, final long expected, final JobClient job, final long submitted)
            throws Exception {
        final List<long[]> commits = new ArrayList<>();
        final long deadline = submitted + TimeUnit.MINUTES.toNanos(10);
        long committed = 0;
        while (committed < expected) {
            if (job.getJobStatus().get().isGloballyTerminalState() || System.nanoTime() > deadline) {
                throw new IllegalStateException("job " + job.getJobID() + " is "
                        + job.getJobStatus().get() + " with " + committed + " of " + expected + " records committed");
            }
            final long now = kafka.committed(group, topic("points_ledger"))
                    + kafka.committed(group, topic("legacy_ledger_changes"));
            if (now > committed) {
                committed = now;
                commits.add(new long[] {
                    System.nanoTime(),
                    committed,
                    cpuNanos(),
                    StackCpu.jitCpu(ProcessHandle.current()).toNanos()
                });
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        final long[] first = commits.get(0);
        final long[] lastBeforeEnd =
                commits.size() >= 3 ? commits.get(commits.size() - 2) : commits.get(commits.size() - 1);
        if (lastBeforeEnd == first) {
            throw new IllegalStateException("the backlog was drained within one checkpoint: make it larger");
        }
        final long records = lastBeforeEnd[1] - first[1];
        return new Drain(
                expected,
                (commits.get(commits.size() - 1)[0] - submitted) / 1e9,
                records / ((lastBeforeEnd[0] - first[0]) / 1e9),
                (lastBeforeEnd[2] - first[2]) / 1e6 / records * 1000,
                (lastBeforeEnd[3] - first[3]) / 1e6 / records * 1000,
                commits.size(),
                commits.stream()
                        .mapToDouble(commit -> (commit[0] - submitted) / 1e9)
                        .toArray(),
                commits.stream().mapToDouble(commit -> commit[1]).toArray());
    }

    /**
     * New ledger entries at a steady rate while a poller asks Trino which of the pending keys it sees; returns the
     * sorted delays in ms from each send to the start of the first query that returned its key.
     */
    private long[] freshness(final BenchKafka kafka, final Connection trino, final JobClient job) throws Exception {
        final Map<String, Long> sentAt = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
        final List<Long> delays = new ArrayList<>();
        final AtomicBoolean sending = new AtomicBoolean(true);
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final long deadline = System.nanoTime()
                + freshnessDuration
                        .plus(checkpointInterval.multipliedBy(3))
                        .plusSeconds(30)
                        .toNanos();
        final Thread poller = new Thread(
                () -> {
                    try (Statement statement = trino.createStatement()) {
                        while ((sending.get() || !pending.isEmpty()) && System.nanoTime() < deadline) {
                            final long queried = System.nanoTime();
                            final List<String> keys =
                                    pending.stream().limit(5_000).toList();
                            if (!keys.isEmpty()) {
                                try (ResultSet rows = statement.executeQuery("SELECT business_key FROM iceberg."
                                        + namespace
                                        + ".points_ledger WHERE business_key IN ("
                                        + keys.stream()
                                                .map(key -> "'" + key + "'")
                                                .collect(Collectors.joining(",")) + ")")) {
                                    while (rows.next()) {
                                        final Long sent = sentAt.remove(rows.getString(1));
                                        if (sent != null) {
                                            pending.remove(rows.getString(1));
                                            delays.add((queried - sent) / 1_000_000);
                                        }
                                    }
                                }
                            }
                            LockSupport.parkNanos(queried + TRINO_POLL.toNanos() - System.nanoTime());
                        }
                    } catch (final SQLException e) {
                        failure.set(e);
                    }
                },
                "bench-freshness-poller");
        poller.start();
        final long total = freshnessRate * freshnessDuration.toSeconds();
        try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
            final long begin = System.nanoTime();
            for (long index = 0; index < total && failure.get() == null; index++) {
                LockSupport.parkNanos(begin + index * 1_000_000_000L / freshnessRate - System.nanoTime());
                final String key = "f-" + run + "-" + index;
                final Instant now = Instant.now();
                final LedgerEntry entry = purchase(key, "u-" + (index % USERS), points((int) index), now, now);
                sentAt.put(key, System.nanoTime());
                pending.add(key);
                send(producer, topic("points_ledger"), entry.userId(), entry);
            }
            producer.flush();
        } finally {
            sending.set(false);
        }
        poller.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        if (job.getJobStatus().get().isGloballyTerminalState()) {
            throw new IllegalStateException("the reconciler stopped during the freshness run: "
                    + job.getJobStatus().get());
        }
        final long[] sorted = delays.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return sorted;
    }

    /** One row of table (d): files from the current snapshot's summary, a full Trino scan timed, before and after. */
    private List<String> compact(
            final JdbcCatalog catalog,
            final Connection trino,
            final Namespace ns,
            final LoyaltyTables.TableDefinition definition)
            throws Exception {
        final Table table = catalog.loadTable(TableIdentifier.of(ns, definition.name()));
        final String[] before = files(table);
        final long[] scanBefore = scan(trino, ns, definition.name());
        final long started = System.nanoTime();
        new TableCompaction(
                        List.of(),
                        () -> StreamExecutionEnvironment.createLocalEnvironment(
                                1,
                                FlinkReconcilerBenchJobs.onLoopback(
                                        new org.apache.flink.configuration.Configuration())),
                        Duration.ZERO,
                        1)
                .maintain(table);
        final long compactionMs = (System.nanoTime() - started) / 1_000_000;
        table.refresh();
        final String[] after = files(table);
        final long[] scanAfter = scan(trino, ns, definition.name());
        if (scanAfter[0] != scanBefore[0] || scanBefore[0] != scanBefore[1]) {
            throw new IllegalStateException(ns + "." + definition.name() + ": " + scanBefore[0] + " rows with "
                    + scanBefore[1] + " distinct keys before compaction, " + scanAfter[0] + " after");
        }
        return List.of(
                ns.level(0).endsWith("_baseline") ? "baseline " + definition.name() : definition.name(),
                String.format("%,d", scanBefore[0]),
                before[0],
                before[1],
                Long.toString(scanBefore[2]),
                after[0],
                after[1],
                Long.toString(scanAfter[2]),
                Long.toString(compactionMs));
    }

    private static String[] files(final Table table) {
        final Snapshot snapshot = table.currentSnapshot();
        final Map<String, String> summary = snapshot == null ? Map.of() : snapshot.summary();
        return new String[] {
            summary.getOrDefault("total-data-files", "0"), summary.getOrDefault("total-delete-files", "0")
        };
    }

    /** rows, distinct business keys and the ms Trino took to scan them. */
    private static long[] scan(final Connection trino, final Namespace ns, final String table) throws SQLException {
        final long started = System.nanoTime();
        try (Statement statement = trino.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*), count(DISTINCT business_key) FROM iceberg." + ns.level(0) + "." + table)) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2), (System.nanoTime() - started) / 1_000_000};
        }
    }

    private List<List<String>> auditCheck(final Connection trino, final Backlog backlog, final long trickled)
            throws SQLException {
        final Map<String, Long> found = new TreeMap<>();
        try (Statement statement = trino.createStatement();
                ResultSet rows = statement.executeQuery("SELECT resolution, count(*) FROM iceberg." + namespace
                        + ".reconciliation_audit GROUP BY resolution")) {
            while (rows.next()) {
                found.put(rows.getString(1), rows.getLong(2));
            }
        }
        final Map<String, Long> planted = Map.of(
                "MERGED_DUPLICATE",
                backlog.merged(),
                "CONFLICT",
                backlog.conflicts(),
                "LEGACY_ONLY",
                backlog.legacyOnly(),
                "REALTIME_ONLY",
                backlog.realtime() - backlog.merged() - backlog.conflicts() + trickled);
        return List.of("REALTIME_ONLY", "MERGED_DUPLICATE", "CONFLICT", "LEGACY_ONLY").stream()
                .map(resolution -> List.of(
                        resolution,
                        String.format("%,d", planted.get(resolution)),
                        String.format("%,d", found.getOrDefault(resolution, 0L))))
                .toList();
    }

    private Connection trino() throws SQLException {
        final TrinoLogin login = TrinoLogin.of(settings, "loyalty_admin");
        return DriverManager.getConnection(login.jdbcUrl("iceberg"), login.jdbcProperties());
    }

    private static void dropNamespace(final JdbcCatalog catalog, final Namespace ns) {
        if (!catalog.namespaceExists(ns)) {
            return;
        }
        for (final TableIdentifier table : catalog.listTables(ns)) {
            catalog.dropTable(table, true);
        }
        catalog.dropNamespace(ns);
    }

    /** CPU time of this JVM: the Flink job, the Kafka offset polling, nothing else while a backlog drains. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)
                        java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
