package io.loyaltylakehouse.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesTheRegistryInThePrometheusTextFormatWithJvmMetrics() throws Exception {
        final Metrics metrics = new Metrics("loyalty_");
        final Counter events = metrics.counter("events_total", "Events by table", "table");
        events.labelValues("members").inc(3);
        events.labelValues("points").inc();
        metrics.gauge("slot_wal_retained_bytes", "WAL the slot holds back", () -> 42);
        metrics.histogram("freshness_seconds", "Event time to commit", 1, 5).observe(3);

        try (OpsServer server =
                new OpsServer("127.0.0.1", 0, () -> new OpsServer.Health(true, "{}"), metrics).start()) {
            final HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
            assertThat(response.body())
                    .contains("# TYPE loyalty_events_total counter\n")
                    .contains("loyalty_events_total{table=\"members\"} 3.0\n")
                    .contains("loyalty_events_total{table=\"points\"} 1.0\n")
                    .contains("loyalty_slot_wal_retained_bytes 42.0\n")
                    .contains("loyalty_freshness_seconds_bucket{le=\"5.0\"} 1\n")
                    .contains("loyalty_freshness_seconds_count 1\n")
                    .contains("jvm_memory_used_bytes{area=\"heap\"}");
        }
        assertThat(metrics.count("events_total", "table=\"members\"")).isEqualTo(3);
        assertThat(metrics.count("slot_wal_retained_bytes", "")).isEqualTo(42);
        assertThat(metrics.count("events_total", "table=\"nothing\"")).isZero();
    }

    @Test
    void postEndpointsGetTheBodyAndOtherMethodsAreRefused() throws Exception {
        final AtomicReference<String> received = new AtomicReference<>();
        try (OpsServer server = new OpsServer(
                        "127.0.0.1", 0, () -> new OpsServer.Health(true, "{}"), new Metrics("loyalty_"))
                .receive("/alerts", body -> {
                    received.set(new String(body, StandardCharsets.UTF_8));
                    return OpsServer.Response.json(200, "{}");
                })
                .start()) {
            final URI alerts = URI.create("http://127.0.0.1:" + server.port() + "/alerts");
            final int posted = http.send(
                            HttpRequest.newBuilder(alerts)
                                    .POST(HttpRequest.BodyPublishers.ofString("{\"status\":\"firing\"}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .statusCode();
            final int got = http.send(HttpRequest.newBuilder(alerts).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode();

            assertThat(posted).isEqualTo(200);
            assertThat(received.get()).isEqualTo("{\"status\":\"firing\"}");
            assertThat(got).isEqualTo(405);
        }
    }
}
