package io.loyaltylakehouse.load.chaos;

import io.loyaltylakehouse.common.config.KafkaClients;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.PurchaseEvent;
import io.loyaltylakehouse.load.check.LakehouseCheck;
import io.loyaltylakehouse.load.kafka.TopicSurvey;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End-to-end freshness during a chaos run: every {@code probe-every}, one $1 purchase of a user of its own
 * ({@code chaos-probe-<n>}, outside the truth), and the time until its balance shows in the balance API and its row
 * in {@code iceberg.loyalty.points_ledger} through Trino. A probe goes to one input partition, taken in turn, dated
 * at that partition's stream time: it never moves the stream time the truth's users are judged by (edge-streams
 * keeps one per partition), and it waits for the load's first record there, since before it any date would.
 */
final class Freshness {
    private static final Logger LOG = LoggerFactory.getLogger(Freshness.class);
    private static final Duration GIVE_UP = Duration.ofMinutes(10);

    private final Settings settings;
    private final Duration every;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Probe> open = new ArrayList<>();
    private final List<Duration> realtime = new ArrayList<>();
    private final List<Duration> lakehouse = new ArrayList<>();
    private final String prefix = "chaos-probe-" + Long.toString(System.currentTimeMillis(), 36) + "-";
    private volatile boolean stopping;
    private Thread thread;
    private int sent;
    private int lost;

    private static final class Probe {
        final String user;
        final Instant sentAt;
        Duration realtime;
        Duration lakehouse;

        Probe(final String user, final Instant sentAt) {
            this.user = user;
            this.sentAt = sentAt;
        }
    }

    /** p50 / p95 / max in seconds per path, how many probes were sent and never seen. */
    record Summary(int probes, int unseen, List<Duration> realtime, List<Duration> lakehouse) {}

    Freshness(final Settings settings, final Duration every) {
        this.settings = settings;
        this.every = every;
    }

    void start() {
        thread = new Thread(this::loop, "chaos-freshness");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() throws InterruptedException {
        final long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            TimeUnit.SECONDS.sleep(1);
        }
        stopping = true;
        thread.join(30_000);
    }

    synchronized Summary summary() {
        return new Summary(sent, lost + open.size(), List.copyOf(realtime), List.copyOf(lakehouse));
    }

    private void loop() {
        final Map<String, Object> config = new HashMap<>(KafkaClients.config(settings));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        long nextProbe = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            while (!stopping) {
                if (System.nanoTime() >= nextProbe) {
                    nextProbe = System.nanoTime() + every.toNanos();
                    probe(producer);
                }
                check();
                TimeUnit.MILLISECONDS.sleep(500);
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (final RuntimeException e) {
            LOG.warn("freshness probes stopped: {}", e.getMessage());
        }
    }

    private void probe(final KafkaProducer<String, byte[]> producer) {
        try {
            final Map<Integer, Instant> streamTimes = TopicSurvey.survey(
                            KafkaClients.config(settings),
                            settings.require("load.topic.purchases"),
                            settings.require("load.topic.redemptions"),
                            settings.require("load.topic.promotions"),
                            settings.requireDuration("load.rules.stream-time-max-lead"))
                    .streamTimes();
            if (streamTimes.isEmpty()) {
                return;
            }
            final List<Integer> partitions =
                    streamTimes.keySet().stream().sorted().toList();
            final int partition = partitions.get(sent % partitions.size());
            final String user = prefix + (sent + 1);
            final PurchaseEvent purchase = new PurchaseEvent(
                    "t-" + user, user, new BigDecimal("1.00"), "USD", "s-probe", streamTimes.get(partition));
            // Stamped with its event time, as the load's records are: stamped with the wall clock (hours past the
            // load's event times), it held back every purchase behind it on its partition while Kafka Streams, which
            // picks the input whose next record is oldest, read the redemptions first; a purchase 10 minutes of event
            // time behind them then counted as late.
            producer.send(new ProducerRecord<>(
                    settings.require("load.topic.purchases"),
                    partition,
                    streamTimes.get(partition).toEpochMilli(),
                    user,
                    Json.toBytes(purchase)));
            synchronized (this) {
                sent++;
                open.add(new Probe(user, Instant.now()));
            }
        } catch (final RuntimeException e) {
            LOG.info("no freshness probe this time (the broker may be restarting): {}", e.getMessage());
        }
    }

    private synchronized void check() {
        if (open.isEmpty()) {
            return;
        }
        try (Connection trino =
                open.stream().anyMatch(probe -> probe.lakehouse == null) ? LakehouseCheck.analyst(settings) : null) {
            for (final Iterator<Probe> it = open.iterator(); it.hasNext(); ) {
                final Probe probe = it.next();
                if (probe.realtime == null && balanceShows(probe.user)) {
                    probe.realtime = Duration.between(probe.sentAt, Instant.now());
                    realtime.add(probe.realtime);
                }
                if (probe.lakehouse == null && trino != null && rowShows(trino, probe.user)) {
                    probe.lakehouse = Duration.between(probe.sentAt, Instant.now());
                    lakehouse.add(probe.lakehouse);
                }
                if (probe.realtime != null && probe.lakehouse != null) {
                    it.remove();
                } else if (Duration.between(probe.sentAt, Instant.now()).compareTo(GIVE_UP) > 0) {
                    lost++;
                    it.remove();
                }
            }
        } catch (final Exception e) {
            LOG.debug("freshness check failed (a component may be restarting): {}", e.getMessage());
        }
    }

    private boolean balanceShows(final String user) {
        try {
            final HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.require("edge.http.port")
                                    + "/users/" + user + "/balance"))
                            .timeout(Duration.ofSeconds(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return response.statusCode() == 200 && !response.body().contains("\"balance\":0");
        } catch (final Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private static boolean rowShows(final Connection trino, final String user) {
        try (Statement statement = trino.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT count(*) FROM iceberg.loyalty.points_ledger WHERE user_id = '" + user + "'")) {
            return rows.next() && rows.getLong(1) > 0;
        } catch (final Exception e) {
            return false;
        }
    }
}
