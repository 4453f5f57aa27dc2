package io.loyaltylakehouse.stack;

import com.fasterxml.jackson.databind.JsonNode;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Dagster's and dbt's results as Prometheus metrics on the supervisor's {@code /metrics} (issue 13: "Dagster/dbt run
 * results"): each job's newest finished run and each dbt test's (asset check's) result on the newest
 * materialization, read from the webserver's GraphQL API when Prometheus scrapes (label {@code dagster_job}: the
 * scrape's own {@code job} label is "supervisor"), so the alert rules and the
 * dashboards see a failed {@code dbt build} like any other part's trouble. Dagster itself serves no metrics.
 */
final class DagsterRunMetrics {
    /** Each job with its last five runs (newest first), and every asset check's newest execution. */
    private static final String RESULTS = "{ repositoriesOrError { ... on RepositoryConnection { nodes {"
            + " jobs { name runs(limit: 5) { status endTime } } } } }"
            + " assetNodes { assetKey { path } assetChecksOrError { ... on AssetChecks { checks {"
            + " name executionForLatestMaterialization { status } } } } } }";
    /** One GraphQL answer serves all the gauges of a scrape. */
    private static final Duration FRESH = Duration.ofSeconds(5);

    private final StackSettings stack;
    private JsonNode last;
    private long lastAtNanos;

    private DagsterRunMetrics(final StackSettings stack) {
        this.stack = stack;
    }

    static void register(final StackSettings stack, final PrometheusRegistry registry) {
        final DagsterRunMetrics metrics = new DagsterRunMetrics(stack);
        GaugeWithCallback.builder()
                .name("dagster_up")
                .help("1 when Dagster's webserver answered the supervisor's query for run results")
                .callback(callback -> callback.call(metrics.results().isPresent() ? 1 : 0))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dagster_job_last_run_success")
                .help("1 when the job's newest finished run succeeded, 0 when it failed or was canceled")
                .labelNames("dagster_job")
                .callback(callback -> metrics.results()
                        .ifPresent(results -> finishedRuns(results)
                                .forEach(run -> callback.call("SUCCESS".equals(run.status()) ? 1 : 0, run.job()))))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dagster_job_last_run_end_timestamp_seconds")
                .help("when the job's newest finished run ended")
                .labelNames("dagster_job")
                .callback(callback -> metrics.results()
                        .ifPresent(results ->
                                finishedRuns(results).forEach(run -> callback.call(run.endTime(), run.job()))))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dbt_test_passed")
                .help(
                        "1 when the dbt test (a Dagster asset check) passed on the asset's newest materialization, "
                                + "0 when it failed (a check that could not run, its run failed, is left out: see dagster_job_last_run_success)")
                .labelNames("model", "test")
                .callback(callback -> metrics.results().ifPresent(results -> {
                    for (final JsonNode asset : results.at("/data/assetNodes")) {
                        final JsonNode path = asset.at("/assetKey/path");
                        final String model = path.get(path.size() - 1).asText();
                        for (final JsonNode check : asset.at("/assetChecksOrError/checks")) {
                            final String status = check.at("/executionForLatestMaterialization/status")
                                    .asText();
                            if (status.equals("SUCCEEDED") || status.equals("FAILED")) {
                                callback.call(
                                        status.equals("SUCCEEDED") ? 1 : 0,
                                        model,
                                        check.path("name").asText());
                            }
                        }
                    }
                }))
                .register(registry);
    }

    private record FinishedRun(String job, String status, double endTime) {}

    /** The newest finished run of each job among its last five (Dagster's own hidden jobs, {@code __...}, left out). */
    private static List<FinishedRun> finishedRuns(final JsonNode results) {
        final List<FinishedRun> out = new ArrayList<>();
        for (final JsonNode repository : results.at("/data/repositoriesOrError/nodes")) {
            for (final JsonNode job : repository.path("jobs")) {
                final String name = job.path("name").asText();
                if (name.startsWith("__")) {
                    continue;
                }
                for (final JsonNode run : job.path("runs")) {
                    final String status = run.path("status").asText();
                    if (run.path("endTime").isNumber()
                            && (status.equals("SUCCESS") || status.equals("FAILURE") || status.equals("CANCELED"))) {
                        out.add(new FinishedRun(
                                name, status, run.path("endTime").asDouble()));
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** Dagster's answer, at most {@link #FRESH} old; empty while the webserver does not answer. */
    private synchronized Optional<JsonNode> results() {
        if (last == null || System.nanoTime() - lastAtNanos > FRESH.toNanos()) {
            try {
                last = Dagster.graphql(stack, RESULTS);
            } catch (final Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                last = null;
            }
            lastAtNanos = System.nanoTime();
        }
        return Optional.ofNullable(last).filter(answer -> !answer.has("errors"));
    }
}
