package io.loyaltylakehouse.edge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.ops.Metrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaStreamsMetricsTest {

    @Test
    void exportsTheClientsMetricsAsGaugesAndTheirTotalsAsCounters(@TempDir final Path stateDir) throws Exception {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream("purchase_events").to("points_ledger");
        final Properties properties = new Properties();
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test");
        properties.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        properties.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        properties.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        properties.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        try (KafkaStreams streams = new KafkaStreams(builder.build(), properties)) {
            final Metrics metrics = new Metrics("edge_");
            metrics.register(new KafkaStreamsMetrics(List.of(streams)));

            final ByteArrayOutputStream text = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(text, metrics.registry().scrape());

            assertThat(text.toString(StandardCharsets.UTF_8))
                    .containsPattern("(?m)^# TYPE kafka_stream_alive_stream_threads gauge$")
                    .containsPattern(
                            "(?m)^kafka_stream_alive_stream_threads\\{client_id=\"metrics-test-[^\"]+\"} 1\\.0$")
                    .containsPattern("(?m)^# TYPE kafka_consumer_coordinator_commit_total counter$")
                    .containsPattern(
                            "(?m)^kafka_consumer_coordinator_commit_total\\{client_id=\"[^\"]+-consumer\"} 0\\.0$");
        }
    }
}
