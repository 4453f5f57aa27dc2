package io.loyaltylakehouse.edge.topology;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.loyaltylakehouse.common.json.Json;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time = the payload's {@code event_time}. Never throws and never returns a negative time (Kafka Streams
 * would drop such a record silently): a record without a usable event_time keeps the broker's timestamp, or the
 * partition's time, and validation then dead-letters it with the reason.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(final ConsumerRecord<Object, Object> record, final long partitionTime) {
        final long eventTime = record.value() instanceof byte[] bytes ? eventTimeOf(bytes) : -1;
        if (eventTime >= 0) {
            return eventTime;
        }
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return Math.max(partitionTime, 0);
    }

    /** The top-level {@code event_time} in epoch millis, or -1 when absent or unparsable. Stops at the field. */
    static long eventTimeOf(final byte[] json) {
        try (JsonParser parser = Json.MAPPER.getFactory().createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                final String field = parser.currentName();
                final JsonToken value = parser.nextToken();
                if ("event_time".equals(field)) {
                    return value == JsonToken.VALUE_STRING
                            ? Instant.parse(parser.getText()).toEpochMilli()
                            : -1;
                }
                parser.skipChildren();
            }
            return -1;
        } catch (final Exception e) {
            return -1;
        }
    }
}
