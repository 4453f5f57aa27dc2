package io.loyaltylakehouse.edge.topology;

import static io.loyaltylakehouse.edge.EdgeFixtures.T0;
import static io.loyaltylakehouse.edge.EdgeFixtures.promotion;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.edge.EdgeFixtures;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromotionDeadLetterTopologyTest {
    private static final Instant NOW = Instant.parse("2026-11-25T14:00:00Z");

    @TempDir
    Path stateDir;

    @Test
    void invalidPromotionsAreDeadLetteredValidOnesAndTombstonesAreNot() {
        // 1. configure
        final EdgeStreamsConfig config = EdgeFixtures.config(stateDir);
        final EdgeCounters counters = new EdgeCounters(new Metrics("edge_"), List.of());
        try (TopologyTestDriver driver = new TopologyTestDriver(
                PromotionDeadLetterTopology.build(config, counters, AccrualHarness.LIMITS),
                config.promotionDeadLetterProperties(0),
                NOW)) {
            // 2. topics
            final TestInputTopic<String, String> promotions =
                    driver.createInputTopic("promotions", new StringSerializer(), new StringSerializer());
            // 3. input
            promotions.pipeInput("p-1", promotion("p-1", 2, null, T0, T0.plus(Duration.ofHours(1))));
            promotions.pipeInput("p-1", (String) null);
            promotions.pipeInput("p-2", promotion("p-2", 0, null, T0, T0.plus(Duration.ofHours(1))));
            promotions.pipeInput("p-3", "oops");
            // 4. verify
            assertThat(driver.createOutputTopic("promotions.dlq", new StringDeserializer(), new StringDeserializer())
                            .readValuesToList())
                    .extracting(json -> Json.fromJson(json, DeadLetter.class))
                    .containsExactly(
                            DeadLetter.of(
                                    promotion("p-2", 0, null, T0, T0.plus(Duration.ofHours(1))),
                                    "multiplier must be a whole number from 1 to 1000, got 0",
                                    "promotions",
                                    0,
                                    2,
                                    NOW),
                            DeadLetter.of(
                                    "oops",
                                    "not valid JSON: Unrecognized token 'oops': was expecting "
                                            + "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                                    "promotions",
                                    0,
                                    3,
                                    NOW));
            assertThat(counters.metrics().count("dead_letters_total", "topic=\"promotions\""))
                    .isEqualTo(2);
        }
    }
}
