package io.loyaltylakehouse.reconciler.functions;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.reconciler.records.KafkaRecord;
import io.loyaltylakehouse.reconciler.serde.RecordParser;
import java.time.Instant;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Turns raw Kafka records into typed messages. A record that does not parse or breaks a rule of its message
 * goes to {@link #DEAD_LETTERS} with the reason, its topic, partition and offset, and is counted; it never
 * fails the job.
 */
public class ParseOrDeadLetter<T> extends ProcessFunction<KafkaRecord, T> implements ResultTypeQueryable<T> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final RecordParser<T> parser;
    private final Class<T> type;
    private transient Counter deadLetters;

    public ParseOrDeadLetter(final RecordParser<T> parser, final Class<T> type) {
        this.parser = Objects.requireNonNull(parser, "parser is null");
        this.type = Objects.requireNonNull(type, "type is null");
    }

    @Override
    public void open(final OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(final KafkaRecord record, final Context ctx, final Collector<T> out) {
        final T parsed;
        try {
            parsed = parser.parse(record);
        } catch (final RuntimeException e) {
            deadLetters.inc();
            ctx.output(
                    DEAD_LETTERS,
                    DeadLetter.of(
                            record.valueText(),
                            describe(e),
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            Instant.ofEpochMilli(ctx.timerService().currentProcessingTime())));
            return;
        }
        if (parsed != null) {
            out.collect(parsed);
        }
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return TypeInformation.of(type);
    }

    private static String describe(final RuntimeException e) {
        final String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
