package io.loyaltylakehouse.edge.errors;

import io.loyaltylakehouse.common.json.Json;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Topics;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of CONTRACT 4.6: a record of an input topic that still makes a serde or a processor throw is
 * written to {@code <topic>.dlq} (in the same transaction as the rest) and processing goes on. A failure on an
 * internal topic is a bug, not bad input: the task fails and exactly-once replays it after the fix.
 */
public final class DeadLetterExceptionHandler implements DeserializationExceptionHandler, ProcessingExceptionHandler {
    /** Comma-separated input topics, set by {@link io.loyaltylakehouse.edge.config.EdgeStreamsConfig}. */
    public static final String INPUT_TOPICS_CONFIG = "edge.input.topics";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);

    private Set<String> inputTopics = Set.of();

    @Override
    public void configure(final Map<String, ?> configs) {
        final Object topics = configs.get(INPUT_TOPICS_CONFIG);
        inputTopics = topics == null ? Set.of() : Arrays.stream(topics.toString().split(","))
                .map(String::trim).filter(topic -> !topic.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(final ErrorHandlerContext context,
            final ConsumerRecord<byte[], byte[]> record, final Exception exception) {
        if (!inputTopics.contains(context.topic())) {
            LOG.error("Cannot read {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), exception.toString());
            return DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(deadLetter(context, exception));
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(final ErrorHandlerContext context, final Record<?, ?> record,
            final Exception exception) {
        if (!inputTopics.contains(context.topic())) {
            LOG.error("Processor {} failed on {}-{}@{}", context.processorNodeId(), context.topic(), context.partition(),
                    context.offset(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(deadLetter(context, exception));
    }

    private static List<ProducerRecord<byte[], byte[]>> deadLetter(final ErrorHandlerContext context,
            final Exception exception) {
        LOG.warn("Dead-lettering {}-{}@{}: {}", context.topic(), context.partition(), context.offset(), exception.toString());
        final String error = exception.getClass().getSimpleName() + ": " + exception.getMessage();
        return List.of(new ProducerRecord<>(Topics.deadLetterOf(context.topic()), null, context.sourceRawKey(),
                Json.toBytes(DeadLetter.of(context.sourceRawValue(), error, context.topic(), context.partition(),
                        context.offset(), Instant.now()))));
    }
}
