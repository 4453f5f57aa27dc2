package io.loyaltylakehouse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Issue 13's scrape cost: edge-streams' purchases/s over the same size of backlog with the stack's Prometheus
 * scraping every target (the broker's JMX exporter, Trino, the PostgreSQL exporter, the supervisor, and this
 * edge-streams with all its Kafka Streams and RocksDB metrics) at the stack's interval, and with no Prometheus
 * running, alternated (without, with, with, without, ...) so a drift of the machine falls on both sides. Prometheus
 * runs with the configuration the launcher renders for the bench stack ({@code <data>/monitoring/prometheus.yml},
 * rules included), the bench's edge-streams added as one more file-discovered target.
 */
final class ScrapeCostBench {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Settings settings;
    /** Prometheus's binary and scrape interval: the launcher's settings (local-stack.properties). */
    private final Settings stack = Settings.load("local-stack");

    private final EdgeStreamsBench edge;
    private final int rounds;
    private final int httpPort;

    ScrapeCostBench(final Settings settings, final Path repoDir, final int events, final int rounds) {
        this.settings = settings;
        this.edge = new EdgeStreamsBench(settings, repoDir, events, 0, Duration.ZERO, 0, null, "", List.of());
        this.rounds = rounds;
        this.httpPort = settings.requireInt("edge.http.port");
    }

    BenchReport run() throws Exception {
        final Path monitoring = Path.of(settings.require("data.dir")).resolve("monitoring");
        final Path config = monitoring.resolve("prometheus.yml");
        if (!Files.exists(config)) {
            throw new IllegalStateException(config + " is missing: the bench stack renders it at start");
        }
        final Path target = monitoring.resolve("targets/bench-edge-streams.json");
        Files.writeString(
                target,
                Json.toJson(List.of(
                        Map.of("targets", List.of("127.0.0.1:" + httpPort), "labels", Map.of("job", "edge-streams")))));
        final List<Double> without = new ArrayList<>();
        final List<Double> with = new ArrayList<>();
        final List<List<String>> rows = new ArrayList<>();
        final Map<String, Integer> scrapedJobs = new TreeMap<>();
        try (BenchKafka kafka = new BenchKafka(settings)) {
            // warm the broker, the page cache and the JIT of the producer before the first measured run
            edge.backlogRate(kafka, "sc_warmup_", httpPort);
            for (int round = 0; round < rounds; round++) {
                for (final boolean scraped : round % 2 == 0 ? List.of(false, true) : List.of(true, false)) {
                    final String tag = "sc" + round + (scraped ? "p_" : "n_");
                    final double rate;
                    if (scraped) {
                        final Process prometheus = startPrometheus(config);
                        try {
                            awaitTargets(scrapedJobs);
                            rate = edge.backlogRate(kafka, tag, httpPort);
                            // every target scraped during the run, edge-streams included
                            query("up")
                                    .at("/data/result")
                                    .forEach(series -> scrapedJobs.put(
                                            series.at("/metric/job").asText(), 1));
                        } finally {
                            prometheus.destroy();
                            prometheus.waitFor(60, TimeUnit.SECONDS);
                        }
                        with.add(rate);
                    } else {
                        rate = edge.backlogRate(kafka, tag, httpPort);
                        without.add(rate);
                    }
                    rows.add(List.of(
                            Integer.toString(round + 1),
                            scraped
                                    ? "Prometheus scraping every " + stack.require("prometheus.scrape.interval")
                                    : "no Prometheus",
                            BenchReport.format(rate)));
                    System.out.printf(
                            "scrape-cost: round %d %s %.0f purchases/s%n",
                            round + 1, scraped ? "scraped" : "unscraped", rate);
                }
            }
        } finally {
            Files.deleteIfExists(target);
        }
        final double meanWithout =
                without.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        final double meanWith =
                with.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        return new BenchReport("Scrape cost: edge-streams with and without Prometheus scraping the stack")
                .setting(
                        "edge-streams",
                        "exactly_once_v2, full rules, edge-streams.properties defaults, /metrics on its HTTP port")
                .setting(
                        "backlog per run",
                        String.format("%,d purchases, 10,000 users, topics of its own per run", edge.events()))
                .setting(
                        "Prometheus",
                        "Debian's " + stack.require("prometheus.binary") + ", the bench stack's rendered "
                                + "configuration (rules included), scrape and evaluation interval "
                                + stack.require("prometheus.scrape.interval"))
                .setting("targets scraped", String.join(", ", scrapedJobs.keySet()))
                .setting("order", rounds + " rounds, alternating which side goes first (ABBA)")
                .table("Runs", List.of("round", "monitoring", "purchases/s"), rows)
                .table(
                        "Scrape cost",
                        List.of("without Prometheus, mean", "with Prometheus, mean", "ratio with/without", "cost"),
                        List.of(List.of(
                                BenchReport.format(meanWithout),
                                BenchReport.format(meanWith),
                                String.format("%.3f", meanWith / meanWithout),
                                String.format("%.1f %%", 100 * (1 - meanWith / meanWithout)))))
                .chart(
                        "scrape-cost",
                        "edge-streams purchases/s per run, with and without Prometheus",
                        BenchChart.bars(
                                "edge-streams purchases/s, same backlog, alternated runs",
                                "purchases/s",
                                java.util.stream.IntStream.rangeClosed(1, rounds)
                                        .mapToObj(round -> "round " + round)
                                        .toList(),
                                Map.of("no Prometheus", without, "Prometheus scraping every target", with)))
                .note(
                        "Target (issue 13): scraping costs the pipeline less than 5% throughput. The spread between runs of "
                                + "the same side (table above) is the noise floor on this shared 2-core machine.");
    }

    private Process startPrometheus(final Path config) throws IOException {
        final Path storage = Files.createTempDirectory("bench-prometheus");
        return new ProcessBuilder(
                        stack.require("prometheus.binary"),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + storage,
                        "--web.listen-address=127.0.0.1:" + settings.requireInt("prometheus.port"))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        Files.createTempFile("bench-prometheus", ".log").toFile()))
                .start();
    }

    /** Waits until Prometheus has scraped each of its targets once, so a run is scraped from its start. */
    private void awaitTargets(final Map<String, Integer> scrapedJobs) throws Exception {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try {
                final JsonNode result = query("up").path("data").path("result");
                if (!result.isEmpty()) {
                    result.forEach(
                            series -> scrapedJobs.put(series.at("/metric/job").asText(), 1));
                    return;
                }
            } catch (final IOException e) {
                // not listening yet
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new IllegalStateException("Prometheus scraped nothing within 60 s");
    }

    private JsonNode query(final String promql) throws Exception {
        final HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + settings.requireInt("prometheus.port")
                                + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.MAPPER.readTree(response.body());
    }
}
