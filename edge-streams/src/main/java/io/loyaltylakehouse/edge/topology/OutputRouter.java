package io.loyaltylakehouse.edge.topology;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Sends each message the accrual emits to its contract topic, chosen by the message's type. */
public final class OutputRouter implements TopicNameExtractor<String, Object> {
    private final EdgeTopics topics;

    public OutputRouter(final EdgeTopics topics) {
        this.topics = requireNonNull(topics, "topics is null");
    }

    @Override
    public String extract(final String userId, final Object message, final RecordContext recordContext) {
        if (message instanceof LedgerEntry) {
            return topics.pointsLedger();
        } else if (message instanceof BalanceUpdate) {
            return topics.loyaltyPointsRealtime();
        } else if (message instanceof FraudAlert) {
            return topics.fraudAlerts();
        } else if (message instanceof LateEvent) {
            return topics.lateEvents();
        } else if (message instanceof RedemptionResult) {
            return topics.redemptionResults();
        }
        throw new IllegalArgumentException("no output topic for " + message.getClass().getName());
    }
}
