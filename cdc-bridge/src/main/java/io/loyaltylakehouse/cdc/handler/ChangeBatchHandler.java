package io.loyaltylakehouse.cdc.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.loyaltylakehouse.cdc.mapping.ChangeEventMapper;
import io.loyaltylakehouse.cdc.mapping.MappedEvent;
import io.loyaltylakehouse.cdc.ops.BridgeMetrics;
import io.loyaltylakehouse.cdc.publish.OutboundRecord;
import io.loyaltylakehouse.cdc.publish.Publisher;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's batch consumer: maps every event of the batch, publishes all resulting records and waits until Kafka
 * acknowledged each one, and only then marks the events processed, so the stored offset (and the slot's confirmed
 * position) never passes a change that is not safely in Kafka. Any failure propagates and stops the engine: the
 * batch is delivered again after the restart, never skipped. A crash can therefore repeat records; consumers keep
 * the latest change per key, which makes a repeat harmless.
 */
public final class ChangeBatchHandler implements DebeziumEngine.ChangeConsumer<ChangeEvent<String, String>> {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeBatchHandler.class);

    private final ChangeEventMapper mapper;
    private final Publisher publisher;
    private final LongFunction<List<JsonNode>> currentTransactionsOf;
    private final BridgeMetrics metrics;

    /**
     * @param currentTransactionsOf a member's transactions as they are now (for re-issuing after a user_id change)
     */
    public ChangeBatchHandler(
            final ChangeEventMapper mapper,
            final Publisher publisher,
            final LongFunction<List<JsonNode>> currentTransactionsOf,
            final BridgeMetrics metrics) {
        this.mapper = Objects.requireNonNull(mapper, "mapper is null");
        this.publisher = Objects.requireNonNull(publisher, "publisher is null");
        this.currentTransactionsOf = Objects.requireNonNull(currentTransactionsOf, "currentTransactionsOf is null");
        this.metrics = Objects.requireNonNull(metrics, "metrics is null");
    }

    @Override
    public void handleBatch(
            final List<ChangeEvent<String, String>> events,
            final DebeziumEngine.RecordCommitter<ChangeEvent<String, String>> committer)
            throws InterruptedException {
        final List<MappedEvent> mapped = new ArrayList<>(events.size());
        final List<OutboundRecord> outbound = new ArrayList<>(events.size());
        int reissued = 0;
        for (final ChangeEvent<String, String> event : events) {
            final MappedEvent result = mapper.map(event.destination(), event.value());
            mapped.add(result);
            outbound.addAll(result.records());
            if (result.userIdChange() != null) {
                final List<OutboundRecord> again = mapper.reissue(
                        result.userIdChange(),
                        currentTransactionsOf.apply(result.userIdChange().memberId()));
                outbound.addAll(again);
                reissued += again.size();
            }
        }
        publisher.publishAll(outbound);
        for (final ChangeEvent<String, String> event : events) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
        mapped.forEach(this::report);
        if (reissued > 0) {
            metrics.reissued(reissued);
        }
    }

    private void report(final MappedEvent event) {
        metrics.delivered(event);
        if (event.userIdChange() != null) {
            final MappedEvent.UserIdChange change = event.userIdChange();
            LOG.warn(
                    "Legacy member {} changed user_id {} -> {} (lsn {}): re-issued its current transactions under "
                            + "the new user_id; their business keys are unchanged",
                    change.memberId(),
                    change.from(),
                    change.to(),
                    change.lsn());
        }
        if ("t".equals(event.op())) {
            LOG.error(
                    "TRUNCATE of {}: dead-lettered; its rows stay as they were in the lakehouse until they are "
                            + "re-inserted or deleted one by one",
                    event.table());
        } else if (event.deadLettered() > 0) {
            LOG.warn(
                    "Dead-lettered {} row(s) of {} (op {}): see the dead-letter topic for the reason",
                    event.deadLettered(),
                    event.table(),
                    event.op());
        }
    }
}
