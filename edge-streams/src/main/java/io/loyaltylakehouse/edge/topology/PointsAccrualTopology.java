package io.loyaltylakehouse.edge.topology;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.Topics;
import io.loyaltylakehouse.edge.accrual.PointsAccrual;
import io.loyaltylakehouse.edge.config.EdgeStreamsConfig;
import io.loyaltylakehouse.edge.config.EdgeTopics;
import io.loyaltylakehouse.edge.model.AccountEvent;
import io.loyaltylakehouse.edge.model.ValidatedInput;
import io.loyaltylakehouse.edge.ops.EdgeCounters;
import io.loyaltylakehouse.edge.processor.InputValidationProcessor;
import io.loyaltylakehouse.edge.processor.PointsAccrualProcessor;
import io.loyaltylakehouse.edge.processor.PromotionStoreUpdater;
import io.loyaltylakehouse.edge.serde.JsonSerde;
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
import org.apache.kafka.streams.state.Stores;

/**
 * The points pipeline (CONTRACT section 4):
 * <pre>
 *   promotions ------------------------------------------> global store (every instance, every promotion)
 *   purchase_events, redemption_events -> validation -+-> &lt;topic&gt;.dlq
 *                                                     +-> keyed by user_id ------------------+
 *                                                     +-> other keys -> account-events-by-user +
 *       -> points accrual (balance, dedup, fraud pause, lateness, redemptions)
 *       -> points_ledger, loyalty_points_realtime, fraud_alerts, late_events, redemption_results
 * </pre>
 * A user's purchases and redemptions meet on one task: records keyed by their user_id (the contract) are read
 * there directly, others are re-keyed by the payload's user_id through one internal topic first. Invalid
 * promotions are dead-lettered by {@link PromotionDeadLetterTopology}: a topic feeding a global store cannot also feed a stream here.
 */
public final class PointsAccrualTopology {
    public static final String ACCOUNT_EVENTS = "account-events-by-user";

    private PointsAccrualTopology() {
    }

    public static Topology build(final EdgeStreamsConfig config, final EdgeCounters counters) {
        final EdgeTopics topics = config.topics();
        final InputValidator validator = new InputValidator(config.maxFutureSkew());
        final StreamsBuilder builder = new StreamsBuilder();

        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(PromotionStoreUpdater.PROMOTIONS_STORE),
                        Serdes.String(), new PromotionSerde()).withLoggingDisabled(),
                topics.promotions(),
                rawInput().withName("promotions-source"),
                () -> new PromotionStoreUpdater(validator));

        final Map<String, KStream<String, ValidatedInput>> checked = builder
                .stream(List.of(topics.purchaseEvents(), topics.redemptionEvents()), rawInput().withName("inputs-source"))
                .processValues(InputValidationProcessor.supplier(topics, validator, counters), Named.as("input-validation"))
                .split(Named.as("input-"))
                .branch((key, input) -> input.isRefused(), Branched.as("refused"))
                .defaultBranch(Branched.as("accepted"));

        checked.get("input-refused")
                .mapValues(ValidatedInput::deadLetter, Named.as("dead-letter"))
                .to((key, deadLetter, context) -> Topics.deadLetterOf(deadLetter.sourceTopic()),
                        Produced.with(Serdes.String(), JsonSerde.of(DeadLetter.class)).withName("dead-letter-sink"));

        // Records keyed by their user_id (the contract's key) already sit on the partition that owns the user and
        // go straight to the accrual; only the others take the extra hop through the internal by-user topic.
        final Map<String, KStream<String, ValidatedInput>> accepted = checked.get("input-accepted")
                .split(Named.as("keyed-"))
                .branch((key, input) -> input.event().userId().equals(key), Branched.as("by-user"))
                .defaultBranch(Branched.as("otherwise"));
        final KStream<String, AccountEvent> rekeyed = accepted.get("keyed-otherwise")
                .map((key, input) -> KeyValue.pair(input.event().userId(), input.event()), Named.as("key-by-user"))
                .repartition(Repartitioned.with(Serdes.String(), JsonSerde.of(AccountEvent.class)).withName(ACCOUNT_EVENTS));

        accepted.get("keyed-by-user")
                .mapValues(ValidatedInput::event, Named.as("account-event"))
                .merge(rekeyed, Named.as("account-events"))
                .process(PointsAccrualProcessor.supplier(new PointsAccrual(config.allowedLateness()),
                        config.dedupRetention(), counters), Named.as("points-accrual"))
                .to(new OutputRouter(topics), Produced.with(Serdes.String(), JsonSerde.of(Object.class)).withName("outputs-sink"));

        return builder.build();
    }

    /** Inputs are read as raw bytes so nothing can fail before validation; event time from the payload. */
    static Consumed<String, byte[]> rawInput() {
        return Consumed.with(Serdes.String(), Serdes.ByteArray()).withTimestampExtractor(new EventTimeExtractor());
    }
}
