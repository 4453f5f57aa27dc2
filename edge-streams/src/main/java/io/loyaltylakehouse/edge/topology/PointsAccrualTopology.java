package io.loyaltylakehouse.edge.topology;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.edge.accrual.FraudPause;
import io.loyaltylakehouse.edge.accrual.GlobalIdDedup;
import io.loyaltylakehouse.edge.accrual.LatePurchase;
import io.loyaltylakehouse.edge.accrual.PartitionStreamTime;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.errors.DeadLetterLimits;
import io.loyaltylakehouse.edge.model.ValidatedInput;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.processor.GlobalIdDedupProcessor;
import io.loyaltylakehouse.edge.processor.InputValidationProcessor;
import io.loyaltylakehouse.edge.processor.PointsAccrualProcessor;
import io.loyaltylakehouse.edge.processor.PromotionStore;
import io.loyaltylakehouse.edge.processor.PromotionStoreUpdater;
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
 *       -> points_ledger, loyalty_points_realtime, fraud_alerts, late_events, redemption_results, .dlq
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
            final EdgeStreamsConfig config, final EdgeCounters counters, final DeadLetterLimits limits) {
        final EdgeTopics topics = config.topics();
        final InputValidator validator = new InputValidator(config.maxFutureSkew());
        final StreamsBuilder builder = new StreamsBuilder();

        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore(PromotionStore.NAME),
                                Serdes.String(),
                                new PromotionSerde())
                        .withLoggingDisabled(),
                topics.promotions(),
                rawInput().withName("promotions-source"),
                () -> new PromotionStoreUpdater(validator, config.promotionRetention()));

        final Map<String, KStream<String, ValidatedInput>> checked = builder.stream(
                        List.of(topics.purchaseEvents(), topics.redemptionEvents()),
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
        claimed.get("id-claimed")
                .mapValues(ValidatedInput::event, Named.as("account-event"))
                .process(
                        PointsAccrualProcessor.supplier(latePurchase, fraudPause, config.dedupRetention(), counters),
                        Named.as("points-accrual"))
                .to(
                        new OutputRouter(topics),
                        Produced.with(Serdes.String(), new DeadLetterSerde<Object>(limits))
                                .withName("outputs-sink"));

        return builder.build();
    }

    /** Refused records to their topic's .dlq, keyed by the input's key unless that is too long to repeat. */
    private static void deadLetters(
            final KStream<String, ValidatedInput> refused, final String name, final DeadLetterLimits limits) {
        refused.map(
                        (key, input) -> KeyValue.pair(OutputRouter.deadLetterKey(key), input.deadLetter()),
                        Named.as(name + "-dead-letter"))
                .to(
                        (key, deadLetter, context) -> Topics.deadLetterOf(deadLetter.sourceTopic()),
                        Produced.with(Serdes.String(), new DeadLetterSerde<DeadLetter>(limits))
                                .withName(name + "-dead-letter-sink"));
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
