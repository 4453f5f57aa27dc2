package io.loyaltylakehouse.edge.topology;

import static java.util.Objects.requireNonNull;

import io.loyaltylakehouse.common.model.BalanceUpdate;
import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.RedemptionResult;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.validation.InputValidator;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Sends each message the accrual emits to its contract topic, chosen by the message's type. */
public final class OutputRouter implements TopicNameExtractor<String, Object> {
    private final EdgeTopics topics;

    public OutputRouter(final EdgeTopics topics) {
        this.topics = requireNonNull(topics, "topics is null");
    }

    /**
     * The key a dead letter is written under: the input's, unless it is longer than an id may be (a 900 KB key would
     * take the dead letter near the broker's limit); then none, the raw value's start and SHA-256 still identify it.
     */
    public static String deadLetterKey(final String key) {
        return key == null || key.length() > InputValidator.MAX_ID_LENGTH ? null : key;
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
        } else if (message instanceof DeadLetter deadLetter) {
            return Topics.deadLetterOf(deadLetter.sourceTopic());
        }
        throw new IllegalArgumentException(
                "no output topic for " + message.getClass().getName());
    }
}
