package io.loyaltylakehouse.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void rendersPrometheusTextWithOneHeaderPerFamily() {
        final Metrics metrics = new Metrics("loyalty_");
        metrics.counter("events_total", "Events by table", "table=\"members\"").add(3);
        metrics.counter("events_total", "Events by table", "table=\"points\"").increment();
        metrics.gauge("lag_bytes", "Slot lag", "", () -> 42);

        assertThat(metrics.scrape()).isEqualTo("""
                # HELP loyalty_events_total Events by table
                # TYPE loyalty_events_total counter
                loyalty_events_total{table="members"} 3
                loyalty_events_total{table="points"} 1
                # HELP loyalty_lag_bytes Slot lag
                # TYPE loyalty_lag_bytes gauge
                loyalty_lag_bytes 42
                """);
        assertThat(metrics.count("events_total", "table=\"members\"")).isEqualTo(3);
    }

    @Test
    void sanitizesNames() {
        assertThat(Metrics.sanitize("stream-thread.commit-rate")).isEqualTo("stream_thread_commit_rate");
    }
}
