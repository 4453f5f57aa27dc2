package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.stack.ModuleCommand;
import java.awt.image.BufferedImage;
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
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's acceptance, through the running stack's Prometheus (CONTRACT section 9): after a load every target is
 * up, every query of every Grafana dashboard panel returns data, an alert travels through Alertmanager to the alert
 * log, and the console dashboard drawn by a headless Chromium shows graphs.
 */
class MonitoringIT {
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final String PROMETHEUS = "http://127.0.0.1:" + Lakehouse.SETTINGS.requireInt("prometheus.port");

    /** The launcher's setting (local-stack.properties, DAGSTER_HTTP_PORT). */
    private static final int DAGSTER_PORT = Settings.load("local-stack").requireInt("dagster.http.port");

    private static final HttpClient DAGSTER =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    static Path workDir;

    private static String snapshotRun;

    @BeforeAll
    static void load() throws Exception {
        final List<String> command = new ArrayList<>(ModuleCommand.of(
                        REPO, "load-generator", "load-generator", "io.loyaltylakehouse.load.LoadGenerator", "512m")
                .orElseThrow());
        command.addAll(List.of(
                "--events",
                "3000",
                "--seed",
                "13",
                "--rate",
                "200",
                "--run-id",
                "mon" + UUID.randomUUID().toString().substring(0, 6)));
        final Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("load.log").toFile())
                .start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue())
                .as(Files.readString(workDir.resolve("load.log")))
                .isZero();
        snapshotRun = launchDbtSnapshotRun();
    }

    /** The dbt_snapshot job's run launched through Dagster's API, as its schedule would: its id. */
    private static String launchDbtSnapshotRun() throws Exception {
        final JsonNode repository = dagster(
                        "{ repositoriesOrError { ... on RepositoryConnection { nodes {"
                                + " name location { name } } } } }",
                        Map.of())
                .at("/data/repositoriesOrError/nodes/0");
        final JsonNode launched = dagster(
                        "mutation($params: ExecutionParams!) { launchRun(executionParams: $params) { __typename"
                                + " ... on LaunchRunSuccess { run { runId } } ... on PythonError { message } } }",
                        Map.of(
                                "params",
                                Map.of(
                                        "selector",
                                        Map.of(
                                                "repositoryLocationName",
                                                repository.at("/location/name").asText(),
                                                "repositoryName",
                                                repository.path("name").asText(),
                                                "jobName",
                                                "dbt_snapshot"),
                                        "runConfigData",
                                        Map.of())))
                .at("/data/launchRun");
        assertThat(launched.path("__typename").asText()).as(launched.toString()).isEqualTo("LaunchRunSuccess");
        return launched.at("/run/runId").asText();
    }

    @Test
    void dagsterRunResultsAndDbtTestsReachPrometheus() {
        await().atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    final String status = dagster(
                                    "query($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }",
                                    Map.of("id", snapshotRun))
                            .at("/data/runOrError/status")
                            .asText();
                    assertThat(status).as("the dbt_snapshot run").isIn("SUCCESS", "FAILURE");
                    // what Dagster says about each dbt test (asset check) of the newest materializations
                    final Map<String, String> checks = new TreeMap<>();
                    for (final JsonNode asset : dagster(
                                    "{ assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks {"
                                            + " name executionForLatestMaterialization { status } } } } } }",
                                    Map.of())
                            .at("/data/assetNodes")) {
                        final JsonNode path = asset.at("/assetKey/path");
                        for (final JsonNode check : asset.at("/assetChecksOrError/checks")) {
                            final String result = check.at("/executionForLatestMaterialization/status")
                                    .asText();
                            if (result.equals("SUCCEEDED") || result.equals("FAILED")) {
                                checks.put(
                                        path.get(path.size() - 1).asText() + " "
                                                + check.path("name").asText(),
                                        result.equals("SUCCEEDED") ? "1" : "0");
                            }
                        }
                    }
                    assertThat(checks).as("dbt tests run by dbt_snapshot").isNotEmpty();
                    final Map<String, String> scraped = new TreeMap<>();
                    for (final JsonNode series : get("/api/v1/query?query=dbt_test_passed")
                            .path("data")
                            .path("result")) {
                        scraped.put(
                                series.at("/metric/model").asText() + " "
                                        + series.at("/metric/test").asText(),
                                series.path("value").path(1).asText());
                    }
                    assertThat(scraped).isEqualTo(checks);
                    assertThat(get("/api/v1/query?query="
                                            + URLEncoder.encode(
                                                    "dagster_job_last_run_success{dagster_job=\"dbt_snapshot\"}",
                                                    StandardCharsets.UTF_8))
                                    .at("/data/result/0/value/1")
                                    .asText())
                            .isEqualTo(status.equals("SUCCESS") ? "1" : "0");
                });
    }

    @Test
    void everyTargetIsUp() {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            final Map<String, String> health = new TreeMap<>();
            for (final JsonNode target :
                    get("/api/v1/targets?state=active").path("data").path("activeTargets")) {
                health.put(
                        target.path("labels").path("job").asText(),
                        target.path("health").asText() + " "
                                + target.path("lastError").asText());
            }
            assertThat(health)
                    .containsKeys(
                            "prometheus",
                            "alertmanager",
                            "supervisor",
                            "kafka",
                            "postgres",
                            "trino",
                            "edge-streams",
                            "cdc-bridge",
                            "flink-reconciler");
            assertThat(health)
                    .allSatisfy((job, state) -> assertThat(state).as(job).isEqualTo("up "));
        });
    }

    @Test
    void everyDashboardPanelQueryReturnsData() throws IOException {
        final Map<String, String> queries = new TreeMap<>();
        try (var dashboards = Files.list(REPO.resolve("monitoring/dashboards"))) {
            for (final Path file :
                    dashboards.filter(path -> path.toString().endsWith(".json")).toList()) {
                for (final JsonNode panel : Json.MAPPER.readTree(file.toFile()).path("panels")) {
                    for (final JsonNode target : panel.path("targets")) {
                        queries.put(
                                file.getFileName() + " / " + panel.path("title").asText() + " / "
                                        + target.path("refId").asText(),
                                target.path("expr").asText());
                    }
                }
            }
        }
        assertThat(queries).hasSizeGreaterThan(30);
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(10)).untilAsserted(() -> {
            final Map<String, String> empty = new TreeMap<>();
            for (final Map.Entry<String, String> query : queries.entrySet()) {
                if (!hasANumber(query.getValue())) {
                    empty.put(query.getKey(), query.getValue());
                }
            }
            assertThat(empty).as("panel queries without a number").isEmpty();
        });
    }

    @Test
    void alertsReachTheAlertLogThroughAlertmanager() {
        // the load's bad records are dead letters of reasons this fresh stack has not seen in the hour before
        final Path alertLog = Path.of(Lakehouse.SETTINGS.require("data.dir")).resolve("logs/alerts.log");
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(alertLog).exists();
            assertThat(Files.readString(alertLog))
                    .contains("FIRING NewDeadLetterReason", "\"topic\":\"purchase_events\"");
        });
    }

    @Test
    void consoleDashboardShowsDrawnGraphs() throws Exception {
        final Path screenshot = REPO.resolve("system-tests/target/loyalty-console.png");
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(10)).untilAsserted(() -> {
            screenshot(PROMETHEUS + "/consoles/loyalty.html", screenshot);
            assertThat(plottedPixels(ImageIO.read(screenshot.toFile())))
                    .as("coloured pixels of plotted lines")
                    .isGreaterThan(500);
        });
    }

    /** Headless Chromium as root here: no sandbox, no GPU, nothing fetched from outside, a fresh profile. */
    private static void screenshot(final String url, final Path file) throws Exception {
        final Path profile = Files.createTempDirectory(workDir, "chromium");
        final Process chromium = new ProcessBuilder(
                        Lakehouse.SETTINGS.get("chromium.binary", "/usr/bin/chromium"),
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--user-data-dir=" + profile,
                        "--hide-scrollbars",
                        "--window-size=1280,1600",
                        "--virtual-time-budget=20000",
                        "--screenshot=" + file,
                        url)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("chromium.log").toFile())
                .start();
        assertThat(chromium.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(file).exists();
    }

    /**
     * Strongly coloured pixels on rows without dark pixels: the graphs' lines, not the text, the legends (dark boxes)
     * or the links (Bootstrap blue). An empty graph has none.
     */
    static int plottedPixels(final BufferedImage image) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            boolean darkRow = false;
            int colored = 0;
            for (int x = 0; x < image.getWidth(); x++) {
                final int rgb = image.getRGB(x, y);
                final int r = (rgb >> 16) & 0xff;
                final int g = (rgb >> 8) & 0xff;
                final int b = rgb & 0xff;
                final int max = Math.max(r, Math.max(g, b));
                darkRow |= max < 80;
                final boolean linkBlue = r < 40 && g > 100 && g < 150 && b > 220;
                if (max - Math.min(r, Math.min(g, b)) > 90 && !linkBlue) {
                    colored++;
                }
            }
            count += darkRow ? 0 : colored;
        }
        return count;
    }

    private static boolean hasANumber(final String expr) throws Exception {
        for (final JsonNode series : get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8))
                .path("data")
                .path("result")) {
            final String value = series.path("value").path(1).asText();
            if (!value.equals("NaN") && !value.endsWith("Inf")) {
                return true;
            }
        }
        return false;
    }

    /** A GraphQL request to the stack's Dagster webserver (HTTP/1.1: uvicorn takes no h2c upgrade on a POST). */
    private static JsonNode dagster(final String query, final Map<String, Object> variables) throws Exception {
        final HttpResponse<String> response = DAGSTER.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + DAGSTER_PORT + "/graphql"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                Json.MAPPER.writeValueAsString(Map.of("query", query, "variables", variables))))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private static JsonNode get(final String path) throws Exception {
        final HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create(PROMETHEUS + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }
}
