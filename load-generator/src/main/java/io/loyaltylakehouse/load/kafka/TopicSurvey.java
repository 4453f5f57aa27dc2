package io.loyaltylakehouse.load.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.loyaltylakehouse.common.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the broker already holds that a run's ground truth depends on: the partition count of the input topics,
 * the promotions still in force (the pipeline applies them to this run's purchases too), and the stream time of
 * each input partition number as edge-streams counts it: the latest event time on that partition of either input
 * (stream time survives restarts, so a run must start after it or everything would be late). A record dated ahead
 * of when it was produced (its timestamp) counts as of that time plus {@code maxLead}: edge-streams lets it move
 * stream time no further.
 */
public final class TopicSurvey {
    /** How many of the newest records per partition are read to find the latest event time. */
    private static final int TAIL = 500;

    /**
     * The result; {@code promotions} maps promo_id to the latest value, null for a withdrawal; {@code streamTimes}
     * maps each partition number holding a dated input to its stream time.
     */
    public record Result(int partitions, Map<String, byte[]> promotions, Map<Integer, Instant> streamTimes) {
        public Result {
            streamTimes = Map.copyOf(streamTimes);
        }

        /** The latest stream time of any partition: a run dated after it is late nowhere. */
        public Optional<Instant> latestEventTime() {
            return streamTimes.values().stream().max(Instant::compareTo);
        }
    }

    private TopicSurvey() {}

    public static Result survey(
            final Map<String, Object> kafka,
            final String purchases,
            final String redemptions,
            final String promotions,
            final Duration maxLead) {
        try (TopicReader reader = new TopicReader(kafka, false)) {
            final int partitions = reader.partitions(purchases);
            final int redemptionPartitions = reader.partitions(redemptions);
            if (partitions == 0 || redemptionPartitions == 0 || reader.partitions(promotions) == 0) {
                throw new IllegalStateException("the input topics " + List.of(purchases, redemptions, promotions)
                        + " must exist (start the stack with `make up`)");
            }
            if (partitions != redemptionPartitions) {
                throw new IllegalStateException(purchases + " has " + partitions + " partitions but " + redemptions
                        + " has " + redemptionPartitions + ": they must be co-partitioned");
            }
            final Map<String, byte[]> knownPromotions = new LinkedHashMap<>();
            reader.read(promotions, 0, record -> {
                if (record.key() != null) {
                    knownPromotions.put(new String(record.key(), StandardCharsets.UTF_8), record.value());
                }
            });
            final Map<Integer, Instant> streamTimes = new HashMap<>();
            for (final String topic : List.of(purchases, redemptions)) {
                reader.read(topic, TAIL, record -> {
                    final Instant dated = eventTime(record.value());
                    final Instant counted =
                            Instant.ofEpochMilli(record.timestamp()).plus(maxLead);
                    if (dated != null) {
                        streamTimes.merge(
                                record.partition(), dated.isBefore(counted) ? dated : counted, TopicSurvey::later);
                    }
                });
            }
            return new Result(partitions, knownPromotions, streamTimes);
        }
    }

    private static Instant later(final Instant a, final Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Instant eventTime(final byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            final JsonNode node = Json.MAPPER.readTree(value);
            final JsonNode time = node == null ? null : node.get("event_time");
            return time != null && time.isTextual() ? Instant.parse(time.asText()) : null;
        } catch (final IOException | DateTimeParseException e) {
            return null;
        }
    }
}
