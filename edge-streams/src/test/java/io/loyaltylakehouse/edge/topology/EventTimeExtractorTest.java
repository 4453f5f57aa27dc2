package io.loyaltylakehouse.edge.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class EventTimeExtractorTest {
    private final EventTimeExtractor extractor = new EventTimeExtractor();

    @Test
    void takesTheTopLevelEventTime() {
        assertThat(extract(
                        "{\"nested\":{\"event_time\":\"2000-01-01T00:00:00Z\"},"
                                + "\"event_time\":\"2026-11-25T12:00:00.5Z\"}",
                        7))
                .isEqualTo(Instant.parse("2026-11-25T12:00:00.5Z").toEpochMilli());
    }

    @Test
    void fallsBackToTheRecordTimestampWithoutAUsableEventTime() {
        assertThat(extract("{not json", 7)).isEqualTo(7);
        assertThat(extract("{\"event_time\":\"soon\"}", 7)).isEqualTo(7);
        assertThat(extract("{\"event_time\":12}", 7)).isEqualTo(7);
        assertThat(extract("{\"event_time\":\"1969-12-31T00:00:00Z\"}", 7)).isEqualTo(7);
        assertThat(extract(null, 7)).isEqualTo(7);
    }

    @Test
    void neverReturnsANegativeTime() {
        assertThat(extract("[]", -1)).isEqualTo(42);
    }

    private long extract(final String value, final long recordTimestamp) {
        final byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        return extractor.extract(
                new ConsumerRecord<>(
                        "t",
                        0,
                        0,
                        recordTimestamp,
                        org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                        0,
                        0,
                        null,
                        bytes,
                        new org.apache.kafka.common.header.internals.RecordHeaders(),
                        java.util.Optional.empty()),
                42);
    }
}
