package io.loyaltylakehouse.edge.errors;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.validation.InputValidator;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of CONTRACT 4.6: a record of an input topic that still makes a serde or a processor throw is
 * written to {@code <topic>.dlq} (in the same transaction as the rest) and processing goes on. A failure on an
 * internal topic is a bug, not bad input: the task fails and exactly-once replays it after the fix.
 *
 * <p>Writes: a dead letter that cannot be written (refused by the broker or the serializer) is logged with its
 * input's coordinates and reason and counted ({@code edge_dead_letter_write_failed_total}), and processing goes on:
 * dead letters are bounded far under the producer's limit, so this means a broker configured smaller than Kafka's
 * defaults. Any other output that cannot be written fails the task (retriable errors are retried): it must never
 * be skipped.
 */
public final class DeadLetterExceptionHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    /** Comma-separated input topics, set by {@link io.loyaltylakehouse.edge.config.EdgeStreamsConfig}. */
    public static final String INPUT_TOPICS_CONFIG = "edge.input.topics";
    /** The {@link EdgeCounters} instance (an object, not a string), set by the app; absent in unit tests. */
    public static final String COUNTERS_CONFIG = "edge.counters";
    /** The {@link DeadLetterLimits} instance, set by the app; absent in unit tests (the producer's default then). */
    public static final String LIMITS_CONFIG = "edge.dead.letter.limits";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

    private Set<String> inputTopics = Set.of();
    private EdgeCounters counters;
    private DeadLetterLimits limits = new DeadLetterLimits(1024 * 1024, Map.of());

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object topics = configs.get(INPUT_TOPICS_CONFIG);
        inputTopics = topics == null
                ? Set.of()
                : Arrays.stream(topics.toString().split(","))
                        .map(String::trim)
                        .filter(topic -> !topic.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
        counters = configs.get(COUNTERS_CONFIG) instanceof EdgeCounters given ? given : null;
        if (configs.get(LIMITS_CONFIG) instanceof DeadLetterLimits given) {
            limits = given;
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(
            final ErrorHandlerContext context, final ConsumerRecord<byte[], byte[]> record, final Exception exception) {
        if (!inputTopics.contains(context.topic())) {
            LOG.error(
                    "Cannot read {}-{}@{}: {}",
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception.toString());
            return DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(deadLetter(context, exception));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(
            final ErrorHandlerContext context, final Record<?, ?> record, final Exception exception) {
        if (!inputTopics.contains(context.topic())) {
            LOG.error(
                    "Processor {} failed on {}-{}@{}",
                    context.processorNodeId(),
                    context.topic(),
                    context.partition(),
                    context.offset(),
                    exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(deadLetter(context, exception));
    }

    @Override
    public ProductionExceptionHandler.Response handleError(
            final ErrorHandlerContext context, final ProducerRecord<byte[], byte[]> record, final Exception exception) {
        if (exception instanceof RetriableException) {
            return ProductionExceptionHandler.Response.retry();
        }
        if (!isDeadLetterTopic(record.topic())) {
            return ProductionExceptionHandler.Response.fail();
        }
        deadLetterLost(context, record.topic(), exception);
        return ProductionExceptionHandler.Response.resume();
    }

    @Override
    public ProductionExceptionHandler.Response handleSerializationError(
            final ErrorHandlerContext context,
            final ProducerRecord record,
            final Exception exception,
            final SerializationExceptionOrigin origin) {
        if (!isDeadLetterTopic(record.topic())) {
            return ProductionExceptionHandler.Response.fail();
        }
        deadLetterLost(context, record.topic(), exception);
        return ProductionExceptionHandler.Response.resume();
    }

    private static boolean isDeadLetterTopic(final String topic) {
        return topic.endsWith(Topics.deadLetterOf(""));
    }

    private void deadLetterLost(final ErrorHandlerContext context, final String topic, final Exception exception) {
        LOG.error(
                "Dead letter for {}-{}@{} could not be written to {}: {}",
                context.topic(),
                context.partition(),
                context.offset(),
                topic,
                DeadLetter.cut(exception.toString()));
        if (counters != null) {
            counters.deadLetterWriteFailed(topic);
        }
    }

    private List<ProducerRecord<byte[], byte[]>> deadLetter(
            final ErrorHandlerContext context, final Exception exception) {
        final String error = DeadLetter.cut(exception.getClass().getSimpleName() + ": " + exception.getMessage());
        LOG.warn("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), error);
        if (counters != null) {
            counters.deadLettered(context.topic(), error);
        }
        final String topic = Topics.deadLetterOf(context.topic());
        final byte[] value = limits.fit(
                DeadLetter.of(
                        context.sourceRawValue(),
                        error,
                        context.topic(),
                        context.partition(),
                        context.offset(),
                        Instant.now()),
                topic);
        if (value == null) {
            deadLetterLost(context, topic, new IllegalStateException("dead letter larger than " + limits.limit(topic)));
            return List.of();
        }
        // A key longer than an id may be (in UTF-8 bytes) is left out: it could take the dead letter near the limit.
        final byte[] key = context.sourceRawKey();
        return List.of(new ProducerRecord<>(
                topic, null, key != null && key.length <= 4 * InputValidator.MAX_ID_LENGTH ? key : null, value));
    }
}
