package io.loyaltylakehouse.edge.topology;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.common.topic.Topic;
import io.loyaltylakehouse.edge.accrual.FraudPause;
import io.loyaltylakehouse.edge.accrual.GlobalIdDedup;
import io.loyaltylakehouse.edge.accrual.LatePurchase;
import io.loyaltylakehouse.edge.accrual.PartitionStreamTime;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import io.loyaltylakehouse.edge.model.AccrualOutputs;
import io.loyaltylakehouse.edge.model.ValidatedInput;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.processor.GlobalIdDedupProcessor;
import io.loyaltylakehouse.edge.processor.InputValidationProcessor;
import io.loyaltylakehouse.edge.processor.PointsAccrualProcessor;
import io.loyaltylakehouse.edge.processor.PromotionStore;
import io.loyaltylakehouse.edge.processor.PromotionStoreUpdater;
import io.loyaltylakehouse.edge.processor.PromotionsApplied;
import io.loyaltylakehouse.edge.serde.AccountEventSerde;
import io.loyaltylakehouse.edge.serde.DeadLetterSerde;
import io.loyaltylakehouse.edge.serde.PromotionSerde;
import io.loyaltylakehouse.edge.validation.InputValidator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.ValueMapper;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import org.apache.kafka.streams.state.Stores;

/**
 * The points pipeline (CONTRACT section 4):
 * <pre>
 *   promotions ------------------------------------------------> global store (by store and end, expired ones leave)
 *   purchase_events, redemption_events -> validation -+-> &lt;topic&gt;.dlq
 *                                                     +-> re-key by id -> events-by-id -> global id check -+-> .dlq
 *                                                         -> (same task, keyed by user) points accrual (balance,
 *                                                         fraud pause, lateness, redemptions)
 *       -> one {@link AccrualOutputs} per event, each part to its typed topic: points_ledger,
 *          loyalty_points_realtime, fraud_alerts, late_events, redemption_results, .dlq
 * </pre>
 * Where a record sits on the input decides nothing but its partition's stream time: every record goes through the
 * one task that reads the id topic, which checks the id (one check for all users) and then changes the account of
 * its payload's user_id (one balance), so any producer partitioner gives the same result. The id topic is one
 * partition: its task sees every input partition's records in their order and handles them in that order, so a
 * user's purchases and redemptions reach the account in the order they were read (fraud pause and redemptions
 * depend on it). The accounts live in that task too: a second internal topic keyed by user would cost one more
 * record and one more commit hop per input and parallelize nothing, the id check before it seeing every record
 * anyway. Invalid promotions are dead-lettered by
 * {@link PromotionDeadLetterTopology}: a topic feeding a global store cannot also feed a stream here.
 */
public final class PointsAccrualTopology {
    public static final String EVENTS_BY_ID = "events-by-id";

    private PointsAccrualTopology() {}

    public static Topology build(
            final EdgeStreamsConfig config,
            final EdgeCounters counters,
            final DeadLetterLimits limits,
            final PromotionsApplied promotionsApplied) {
        final EdgeTopics topics = config.topics();
        final InputValidator validator = new InputValidator(config.maxFutureSkew());
        final StreamsBuilder builder = new StreamsBuilder();

        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(PromotionStore.NAME),
                                Serdes.String(),
                                new PromotionSerde())
                        .withLoggingDisabled(),
                topics.promotions().name(),
                rawInput().withName("promotions-source"),
                () -> new PromotionStoreUpdater(validator, config.promotionRetention(), promotionsApplied));

        final Map<String, KStream<String, ValidatedInput>> checked = builder.stream(
                        List.of(
                                topics.purchaseEvents().name(),
                                topics.redemptionEvents().name()),
                        rawInput().withName("inputs-source"))
                .processValues(
                        InputValidationProcessor.supplier(
                                topics, validator, new PartitionStreamTime(config.streamTimeMaxLead()), counters),
                        Named.as("input-validation"))
                .split(Named.as("input-"))
                .branch((key, input) -> input.isRefused(), Branched.as("refused"))
                .defaultBranch(Branched.as("accepted"));
        deadLetters(checked.get("input-refused"), "input", limits);

        final Map<String, KStream<String, ValidatedInput>> claimed = checked.get("input-accepted")
                .map(
                        (key, input) -> KeyValue.pair(GlobalIdDedup.idKey(input.event()), input.event()),
                        Named.as("key-by-id"))
                .repartition(Repartitioned.with(Serdes.String(), new AccountEventSerde())
                        .withName(EVENTS_BY_ID)
                        .withNumberOfPartitions(1))
                .process(
                        GlobalIdDedupProcessor.supplier(config.dedupRetention(), counters), Named.as("global-id-check"))
                .split(Named.as("id-"))
                .branch((key, input) -> input.isRefused(), Branched.as("duplicate"))
                .defaultBranch(Branched.as("claimed"));
        deadLetters(claimed.get("id-duplicate"), "duplicate", limits);

        final LatePurchase latePurchase = new LatePurchase(config.allowedLateness());
        final FraudPause fraudPause = new FraudPause(
                config.fraudLimitPoints(), config.fraudWindow(), config.fraudPause(), config.allowedLateness());
        // Same task as the id check: no second internal topic (one record, one commit hop fewer per input).
        final KStream<String, AccrualOutputs> outputs = claimed.get("id-claimed")
                .mapValues(ValidatedInput::event, Named.as("account-event"))
                .process(
                        PointsAccrualProcessor.supplier(latePurchase, fraudPause, config.dedupRetention(), counters),
                        Named.as("points-accrual"));
        output(outputs, AccrualOutputs::ledgerEntry, topics.pointsLedger(), "ledger");
        output(outputs, AccrualOutputs::balanceUpdate, topics.loyaltyPointsRealtime(), "balance");
        output(outputs, AccrualOutputs::fraudAlert, topics.fraudAlerts(), "fraud-alert");
        output(outputs, AccrualOutputs::lateEvent, topics.lateEvents(), "late-event");
        output(outputs, AccrualOutputs::redemptionResult, topics.redemptionResults(), "redemption-result");
        toDeadLetterTopics(
                produced(outputs, AccrualOutputs::deadLetter, "accrual-dead-letter"), "accrual-dead-letter", limits);

        return builder.build();
    }

    /** One part of the accrual's outputs to its topic, with that topic's serdes. */
    private static <V> void output(
            final KStream<String, AccrualOutputs> outputs,
            final ValueMapper<AccrualOutputs, V> part,
            final Topic<String, V> topic,
            final String name) {
        produced(outputs, part, name)
                .to(
                        topic.name(),
                        Produced.with(topic.keySerde(), topic.valueSerde()).withName(name + "-sink"));
    }

    /** The events that produced {@code part}, as that part. */
    private static <V> KStream<String, V> produced(
            final KStream<String, AccrualOutputs> outputs,
            final ValueMapper<AccrualOutputs, V> part,
            final String name) {
        return outputs.filter((userId, produced) -> part.apply(produced) != null, Named.as(name + "-produced"))
                .mapValues(part, Named.as(name));
    }

    /** Refused records to their topic's .dlq, keyed by the input's key unless that is too long to repeat. */
    private static void deadLetters(
            final KStream<String, ValidatedInput> refused, final String name, final DeadLetterLimits limits) {
        toDeadLetterTopics(
                refused.map(
                        (key, input) -> KeyValue.pair(deadLetterKey(key), input.deadLetter()),
                        Named.as(name + "-dead-letter")),
                name + "-dead-letter",
                limits);
    }

    /** Each dead letter to its source topic's .dlq, fitted to that topic's size limit. */
    private static void toDeadLetterTopics(
            final KStream<String, DeadLetter> letters, final String name, final DeadLetterLimits limits) {
        letters.to(
                (key, deadLetter, context) -> Topics.deadLetterOf(deadLetter.sourceTopic()),
                Produced.with(Serdes.String(), new DeadLetterSerde(limits)).withName(name + "-sink"));
    }

    /**
     * The key a dead letter is written under: the input's, unless it is longer than an id may be (a 900 KB key would
     * take the dead letter near the broker's limit); then none, the raw value's start and SHA-256 still identify it.
     */
    static String deadLetterKey(final String key) {
        return key == null || key.length() > InputValidator.MAX_ID_LENGTH ? null : key;
    }

    /**
     * Inputs are read as raw bytes so nothing can fail before validation. A record's timestamp is when it was
     * produced (the receiving clock of CONTRACT 3 and 4.4, see {@link InputValidationProcessor}); one without a
     * valid timestamp takes its partition's time rather than stopping the task.
     */
    static Consumed<String, byte[]> rawInput() {
        return Consumed.with(Serdes.String(), Serdes.ByteArray())
                .withTimestampExtractor(new UsePartitionTimeOnInvalidTimestamp());
    }
}
