package io.loyaltylakehouse.reconciler;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.reconciler.functions.LedgerReconciler;
import io.loyaltylakehouse.reconciler.functions.ParseOrDeadLetter;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.KafkaRecord;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import io.loyaltylakehouse.reconciler.serde.Parsers;
import io.loyaltylakehouse.reconciler.serde.RecordParser;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The reconciler's dataflow: five inputs -> parse (bad records to dead letters) -> key by business key ->
 * {@link LedgerReconciler} -> ledger and audit outputs; fraud alerts, late events and members pass through.
 * Inputs and outputs are given, so the job passes Kafka and Iceberg and a test may pass its own.
 */
public final class ReconcilerPipeline {

    /** Where the raw records of each input come from. */
    public enum Input {
        POINTS_LEDGER,
        LEGACY_LEDGER_CHANGES,
        LEGACY_MEMBERS,
        FRAUD_ALERTS,
        LATE_EVENTS
    }

    /** Opens one input with the shared watermark strategy. */
    @FunctionalInterface
    public interface Inputs {
        DataStream<KafkaRecord> open(
                StreamExecutionEnvironment env, Input input, WatermarkStrategy<KafkaRecord> watermarks);
    }

    /** Where the results go. */
    public interface Outputs {
        void ledger(DataStream<LedgerRow> rows);

        void audit(DataStream<AuditRow> rows);

        void fraudAlerts(DataStream<FraudAlert> alerts);

        void lateEvents(DataStream<LateEvent> events);

        void members(DataStream<LegacyMember> members);

        void deadLetters(DataStream<DeadLetter> letters);
    }

    private final Inputs inputs;
    private final Outputs outputs;
    private final WatermarkStrategy<KafkaRecord> watermarks;

    public ReconcilerPipeline(
            final Inputs inputs, final Outputs outputs, final Duration outOfOrderness, final Duration idleness) {
        this.inputs = inputs;
        this.outputs = outputs;
        this.watermarks = watermarks(outOfOrderness, idleness);
    }

    /** Event time is the Kafka record timestamp; idle partitions (a quiet legacy system) do not hold it back. */
    static WatermarkStrategy<KafkaRecord> watermarks(final Duration outOfOrderness, final Duration idleness) {
        return WatermarkStrategy.<KafkaRecord>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((record, previous) -> record.timestamp())
                .withIdleness(idleness);
    }

    public void build(final StreamExecutionEnvironment env) {
        final SingleOutputStreamOperator<LedgerEntry> realtime =
                parse(env, Input.POINTS_LEDGER, Parsers::ledgerEntry, LedgerEntry.class);
        final SingleOutputStreamOperator<LegacyLedgerChange> legacy =
                parse(env, Input.LEGACY_LEDGER_CHANGES, Parsers::legacyLedgerChange, LegacyLedgerChange.class);
        final SingleOutputStreamOperator<LegacyMember> members =
                parse(env, Input.LEGACY_MEMBERS, Parsers::member, LegacyMember.class);
        final SingleOutputStreamOperator<FraudAlert> alerts =
                parse(env, Input.FRAUD_ALERTS, Parsers::fraudAlert, FraudAlert.class);
        final SingleOutputStreamOperator<LateEvent> late =
                parse(env, Input.LATE_EVENTS, Parsers::lateEvent, LateEvent.class);

        final SingleOutputStreamOperator<LedgerRow> ledger = realtime.keyBy(LedgerEntry::businessKey, Types.STRING)
                .connect(legacy.keyBy(LegacyLedgerChange::businessKey, Types.STRING))
                .process(new LedgerReconciler())
                .name("reconcile ledgers by business key")
                .uid("ledger-reconciler");

        outputs.ledger(ledger);
        outputs.audit(ledger.getSideOutput(LedgerReconciler.AUDIT));
        outputs.fraudAlerts(alerts);
        outputs.lateEvents(late);
        outputs.members(members);
        outputs.deadLetters(realtime.getSideOutput(ParseOrDeadLetter.DEAD_LETTERS)
                .union(
                        legacy.getSideOutput(ParseOrDeadLetter.DEAD_LETTERS),
                        members.getSideOutput(ParseOrDeadLetter.DEAD_LETTERS),
                        alerts.getSideOutput(ParseOrDeadLetter.DEAD_LETTERS),
                        late.getSideOutput(ParseOrDeadLetter.DEAD_LETTERS)));
    }

    private <T> SingleOutputStreamOperator<T> parse(
            final StreamExecutionEnvironment env,
            final Input input,
            final RecordParser<T> parser,
            final Class<T> type) {
        final String name = input.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        return inputs.open(env, input, watermarks)
                .process(new ParseOrDeadLetter<>(parser, type))
                .name("parse " + name)
                .uid("parse-" + name);
    }
}
