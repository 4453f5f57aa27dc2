package io.loyaltylakehouse.edge.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.ops.Metrics;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterExceptionHandlerTest {
    private final DeadLetterExceptionHandler handler = new DeadLetterExceptionHandler();

    @BeforeEach
    void configure() {
        handler.configure(Map.of(DeadLetterExceptionHandler.INPUT_TOPICS_CONFIG, "purchase_events, promotions"));
    }

    @Test
    void inputRecordThatBreaksASerdeIsDeadLetteredAndProcessingResumes() {
        // Given
        final ErrorHandlerContext context = new FakeContext("purchase_events", 2, 41, "{\"amount\":");
        // When
        final DeserializationExceptionHandler.Response response = handler.handleError(
                context, new ConsumerRecord<>("purchase_events", 2, 41, null, null), new IllegalStateException("boom"));
        // Then
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
        final ProducerRecord<byte[], byte[]> deadLetter =
                response.deadLetterQueueRecords().get(0);
        assertThat(deadLetter.topic()).isEqualTo("purchase_events.dlq");
        assertThat(Json.fromBytes(deadLetter.value(), DeadLetter.class))
                .extracting(
                        DeadLetter::raw,
                        DeadLetter::error,
                        DeadLetter::sourceTopic,
                        DeadLetter::partition,
                        DeadLetter::offset)
                .containsExactly("{\"amount\":", "IllegalStateException: boom", "purchase_events", 2, 41L);
    }

    @Test
    void processorFailureOnAnInputRecordIsDeadLetteredToo() {
        final ProcessingExceptionHandler.Response response = handler.handleError(
                new FakeContext("promotions", 0, 7, "{}"),
                new Record<>("p-1", "{}", 0L),
                new ArithmeticException("overflow"));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords())
                .extracting(ProducerRecord::topic)
                .containsExactly("promotions.dlq");
    }

    @Test
    void failureOnAnInternalTopicStopsTheTaskInsteadOfHidingABug() {
        final FakeContext internal = new FakeContext("edge-events-by-user-repartition", 0, 1, "{}");
        assertThat(handler.handleError(
                                internal,
                                new ConsumerRecord<>(internal.topic(), 0, 1, null, null),
                                new IllegalStateException("corrupt"))
                        .result())
                .isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(handler.handleError(internal, new Record<>("u-1", "{}", 0L), new IllegalStateException("bug"))
                        .result())
                .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }

    @Test
    void aDeadLetterTheBrokerRefusesIsLoggedAndCountedAndProcessingGoesOn() {
        final EdgeCounters counters = new EdgeCounters(new Metrics("edge_"), List.of());
        final DeadLetterExceptionHandler counting = new DeadLetterExceptionHandler();
        counting.configure(Map.of(
                DeadLetterExceptionHandler.INPUT_TOPICS_CONFIG,
                "purchase_events",
                DeadLetterExceptionHandler.COUNTERS_CONFIG,
                counters));
        final FakeContext input = new FakeContext("purchase_events", 1, 9, "{}");
        final ProducerRecord<byte[], byte[]> deadLetter = new ProducerRecord<>("purchase_events.dlq", new byte[1]);

        assertThat(counting.handleError(input, deadLetter, new RecordTooLargeException("too large"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(counting.handleSerializationError(
                                input,
                                deadLetter,
                                new IllegalStateException("cannot"),
                                ProductionExceptionHandler.SerializationExceptionOrigin.VALUE)
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RESUME);
        assertThat(counters.metrics().count("dead_letter_write_failed_total", "topic=\"purchase_events.dlq\""))
                .isEqualTo(2);
    }

    @Test
    void anyOtherOutputThatCannotBeWrittenFailsTheTaskOrIsRetried() {
        final FakeContext input = new FakeContext("purchase_events", 1, 9, "{}");
        final ProducerRecord<byte[], byte[]> ledger = new ProducerRecord<>("points_ledger", new byte[1]);
        assertThat(handler.handleError(input, ledger, new RecordTooLargeException("too large"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.FAIL);
        assertThat(handler.handleError(input, ledger, new TimeoutException("slow"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RETRY);
    }

    @Test
    void aKeyLongerThanAnIdIsLeftOutOfTheDeadLetter() {
        final FakeContext context = new FakeContext("purchase_events", 0, 3, "{}", "u".repeat(900_000));
        final ProducerRecord<byte[], byte[]> deadLetter = handler.handleError(
                        context,
                        new ConsumerRecord<>("purchase_events", 0, 3, null, null),
                        new IllegalStateException("boom"))
                .deadLetterQueueRecords()
                .get(0);
        assertThat(deadLetter.key()).isNull();
        assertThat(deadLetter.value().length).isLessThan(1024);
    }

    /** A hand-written {@link ErrorHandlerContext}: where the failing record came from. */
    private record FakeContext(String topic, int partition, long offset, String raw, String key)
            implements ErrorHandlerContext {
        FakeContext(final String topic, final int partition, final long offset, final String raw) {
            this(topic, partition, offset, raw, "u-1");
        }

        @Override
        public Headers headers() {
            return new RecordHeaders();
        }

        @Override
        public String processorNodeId() {
            return "input-validation";
        }

        @Override
        public TaskId taskId() {
            return new TaskId(0, partition);
        }

        @Override
        public long timestamp() {
            return 0;
        }

        @Override
        public byte[] sourceRawKey() {
            return key.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] sourceRawValue() {
            return raw.getBytes(StandardCharsets.UTF_8);
        }
    }
}
