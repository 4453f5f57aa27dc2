package io.loyaltylakehouse.reconciler.functions;

import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.legacy;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.pausedPurchase;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.purchase;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.AuditRow.Resolution;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerReconcilerTest {
    private KeyedTwoInputStreamOperatorTestHarness<String, LedgerEntry, LegacyLedgerChange, LedgerRow> harness;

    @BeforeEach
    void openHarness() throws Exception {
        harness = newHarness();
    }

    @AfterEach
    void closeHarness() throws Exception {
        harness.close();
    }

    @Test
    void realtimeThenLegacyWithTheSamePointsMergesIntoOneRow() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-1", "u-1", 120)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 501, "t-1", "u-1", 120, 10)));

        final LedgerRow row = last(ledger());
        assertThat(row.businessKey()).isEqualTo("t-1");
        assertThat(row.points()).isEqualTo(120);
        assertThat(row.sources()).isEqualTo(LedgerRow.SOURCE_BOTH);
        assertThat(row.transactionId()).isEqualTo("t-1");
        assertThat(row.legacyTxnId()).isEqualTo(501L);
        assertThat(last(audit()))
                .isEqualTo(new AuditRow("t-1", 120L, 120L, Resolution.MERGED_DUPLICATE, row.updatedAt()));
    }

    @Test
    void legacyThenRealtimeEndsInTheSameRow() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 501, "t-1", "u-1", 120, 10)));
        final List<LedgerRow> firstSeen = ledger();
        harness.processElement1(new StreamRecord<>(purchase("t-1", "u-1", 120)));

        assertThat(firstSeen)
                .singleElement()
                .satisfies(row -> assertThat(row.sources()).isEqualTo(LedgerRow.SOURCE_LEGACY));
        try (var other = newHarness()) {
            other.processElement1(new StreamRecord<>(purchase("t-1", "u-1", 120)));
            other.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 501, "t-1", "u-1", 120, 10)));
            assertThat(last(ledger())).isEqualTo(last(other.extractOutputValues()));
        }
        assertThat(last(audit()).resolution()).isEqualTo(Resolution.MERGED_DUPLICATE);
    }

    @Test
    void differentPointsKeepTheRealtimePointsAndAuditAConflict() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-2", "u-1", 100)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 502, "t-2", "u-1", 90, 11)));

        assertThat(last(ledger()).points()).isEqualTo(100);
        assertThat(last(ledger()).sources()).isEqualTo(LedgerRow.SOURCE_BOTH);
        final AuditRow audit = last(audit());
        assertThat(audit.resolution()).isEqualTo(Resolution.CONFLICT);
        assertThat(audit.realtimePoints()).isEqualTo(100L);
        assertThat(audit.legacyPoints()).isEqualTo(90L);
    }

    @Test
    void realtimeOnlyAndLegacyOnlyKeysAreAuditedAsSuch() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-3", "u-1", 30)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.r, 503, null, "legacy-7", 25, 12)));

        final Map<String, AuditRow> audits = byKey(audit());
        assertThat(audits.get("t-3").resolution()).isEqualTo(Resolution.REALTIME_ONLY);
        assertThat(audits.get("t-3").legacyPoints()).isNull();
        assertThat(audits.get("legacy-503").resolution()).isEqualTo(Resolution.LEGACY_ONLY);
        final LedgerRow legacyRow = byKey(ledger()).get("legacy-503");
        assertThat(legacyRow.sources()).isEqualTo(LedgerRow.SOURCE_LEGACY);
        assertThat(legacyRow.status()).isEqualTo("AWARDED");
        assertThat(legacyRow.entryType()).isEqualTo("EARN");
        assertThat(legacyRow.points()).isEqualTo(25);
        assertThat(legacyRow.transactionId()).isNull();
    }

    @Test
    void legacyUpdateUpdatesTheRow() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 504, null, "legacy-7", 25, 12)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.u, 504, null, "legacy-7", 40, 13)));

        assertThat(ledger()).hasSize(2);
        assertThat(last(ledger()).points()).isEqualTo(40);
        assertThat(last(audit()).legacyPoints()).isEqualTo(40L);
    }

    @Test
    void legacyDeleteOfALegacyOnlyRowMakesItVoid() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 505, null, "legacy-7", 25, 12)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.d, 505, null, "legacy-7", 25, 14)));

        final LedgerRow row = last(ledger());
        assertThat(row.status()).isEqualTo("VOID");
        assertThat(row.points()).isZero();
        assertThat(last(audit()))
                .extracting(AuditRow::resolution, AuditRow::legacyPoints)
                .containsExactly(Resolution.LEGACY_ONLY, 0L);
    }

    @Test
    void legacyDeleteOfADualRecordedKeyLeavesTheRealtimeRow() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-6", "u-1", 60)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 506, "t-6", "u-1", 60, 15)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.d, 506, "t-6", "u-1", 60, 16)));

        final LedgerRow row = last(ledger());
        assertThat(row.status()).isEqualTo("AWARDED");
        assertThat(row.points()).isEqualTo(60);
        assertThat(row.sources()).isEqualTo(LedgerRow.SOURCE_REALTIME);
        assertThat(row.legacyTxnId()).isNull();
        assertThat(last(audit()).resolution()).isEqualTo(Resolution.REALTIME_ONLY);
    }

    @Test
    void pausedPurchaseCountsZeroAndKeepsWhatWasWithheld() throws Exception {
        harness.processElement1(new StreamRecord<>(pausedPurchase("t-7", "u-2", 150)));

        final LedgerRow row = last(ledger());
        assertThat(row.status()).isEqualTo("PAUSED");
        assertThat(row.points()).isZero();
        assertThat(row.withheldPoints()).isEqualTo(150);
        assertThat(row.entryType()).isEqualTo("EARN");
    }

    @Test
    void staleLegacyChangesAreIgnored() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.u, 508, null, "legacy-7", 80, 20)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 508, null, "legacy-7", 10, 19)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.u, 508, null, "legacy-7", 80, 20)));

        assertThat(ledger())
                .singleElement()
                .satisfies(row -> assertThat(row.points()).isEqualTo(80));
    }

    @Test
    void aRepeatedRealtimeEntryWritesNothingNew() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-9", "u-1", 10)));
        harness.processElement1(new StreamRecord<>(purchase("t-9", "u-1", 10)));

        assertThat(ledger()).hasSize(1);
    }

    @Test
    void oneRecordPerKeyAndNoTimers() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-10", "u-1", 10)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 510, "t-10", "u-1", 10, 30)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 511, null, "legacy-7", 5, 31)));

        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    /**
     * Issue 9.4: a legacy UPDATE, DELETE, re-snapshot or member re-key a year after the purchase, on RocksDB
     * and after a restore, gives exactly the rows the same changes give a second later; real-time points keep
     * winning and the real-time purchase is never VOIDed.
     */
    @Test
    void changesAYearLaterAfterARestoreAreDecidedAsTheNextSecond() throws Exception {
        final List<Object> history = List.of(
                purchase("t-30", "u-1", 100),
                legacy(ChangeOp.c, 530, "t-30", "u-1", 100, 50),
                pausedPurchase("t-31", "u-2", 70),
                legacy(ChangeOp.c, 531, "t-31", "u-2", 70, 51),
                legacy(ChangeOp.c, 532, null, "legacy-7", 25, 52));
        final List<Object> later = List.of(
                legacy(ChangeOp.u, 530, "t-30", "u-1", 80, 60),
                legacy(ChangeOp.d, 530, "t-30", "u-1", 80, 61),
                legacy(ChangeOp.r, 530, "t-30", "u-1", 100, 62),
                legacy(ChangeOp.u, 531, "t-31", "u-2", 70, 63),
                legacy(ChangeOp.u, 532, null, "u-7", 25, 64),
                legacy(ChangeOp.u, 530, "t-30", "u-9", 100, 65));

        final EndState nextSecond;
        try (var run = newHarness()) {
            feed(run, history);
            feed(run, later);
            nextSecond = endState(run);
        }

        final OperatorSubtaskState saved;
        try (var first = onRocksDb(null)) {
            feed(first, history);
            saved = first.snapshot(1L, 1L);
        }
        try (var restored = onRocksDb(saved)) {
            restored.setProcessingTime(Duration.ofDays(400).toMillis());
            feed(restored, later);

            assertThat(endState(restored)).isEqualTo(nextSecond);
            assertThat(restored.extractOutputValues())
                    .filteredOn(row -> row.businessKey().equals("t-30"))
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat(row)
                            .extracting(LedgerRow::userId, LedgerRow::points, LedgerRow::status)
                            .containsExactly("u-1", 100L, "AWARDED"));
            assertThat(restored.extractOutputValues())
                    .filteredOn(row -> row.businessKey().equals("t-31"))
                    .singleElement()
                    .satisfies(row -> assertThat(row.status()).isEqualTo("PAUSED"));
        }
        assertThat(nextSecond.audit().get("t-30").resolution())
                .as("u-9's legacy change of a real-time key")
                .isEqualTo(Resolution.CONFLICT);
        assertThat(nextSecond.ledger().get("legacy-532").userId())
                .as("the member re-key moved its own row")
                .isEqualTo("u-7");
    }

    @Test
    void aTransactionIdReusedUnderAnotherUserLeavesTheRowToItsFirstUser() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-40", "u-a", 25)));
        harness.processElement1(new StreamRecord<>(recordedLater(purchase("t-40", "u-b", 25))));

        assertThat(ledger())
                .singleElement()
                .satisfies(row -> assertThat(row.userId()).isEqualTo("u-a"));
        assertThat(last(audit()).resolution()).isEqualTo(Resolution.CONFLICT);
    }

    @Test
    void aLegacyTransactionOfAnotherUserForARealtimeKeyIsAConflictAndChangesNothing() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-41", "u-a", 30)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 541, "t-41", "u-b", 30, 70)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.d, 541, "t-41", "u-b", 30, 71)));

        assertThat(ledger())
                .hasSize(3)
                .allSatisfy(row -> assertThat(row)
                        .extracting(LedgerRow::userId, LedgerRow::points, LedgerRow::sources, LedgerRow::status)
                        .containsExactly("u-a", 30L, LedgerRow.SOURCE_REALTIME, "AWARDED"));
        assertThat(audit())
                .extracting(AuditRow::resolution)
                .containsExactly(Resolution.REALTIME_ONLY, Resolution.CONFLICT, Resolution.REALTIME_ONLY);
    }

    @Test
    void realtimeWinsOverALegacyRowOfAnotherUserInEitherOrder() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 546, "t-46", "legacy-9", 46, 76)));
        harness.processElement1(new StreamRecord<>(purchase("t-46", "u-1", 46)));
        try (var other = newHarness()) {
            other.processElement1(new StreamRecord<>(purchase("t-46", "u-1", 46)));
            other.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 546, "t-46", "legacy-9", 46, 76)));

            assertThat(endState(other)).isEqualTo(endState(harness));
        }
        assertThat(last(ledger()))
                .extracting(LedgerRow::userId, LedgerRow::points, LedgerRow::sources)
                .containsExactly("u-1", 46L, LedgerRow.SOURCE_REALTIME);
        assertThat(last(audit()))
                .extracting(AuditRow::resolution, AuditRow::realtimePoints, AuditRow::legacyPoints)
                .containsExactly(Resolution.CONFLICT, 46L, 46L);
    }

    @Test
    void anotherLegacyTransactionWithTheSameSourceRefUnderAnotherMemberIsRefused() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 543, "t-43", "u-a", 40, 72)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 544, "t-43", "u-b", 40, 73)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.d, 544, "t-43", "u-b", 40, 74)));

        assertThat(ledger())
                .singleElement()
                .satisfies(row -> assertThat(row)
                        .extracting(LedgerRow::userId, LedgerRow::legacyTxnId, LedgerRow::status)
                        .containsExactly("u-a", 543L, "AWARDED"));
        assertThat(audit())
                .extracting(AuditRow::resolution)
                .containsExactly(Resolution.LEGACY_ONLY, Resolution.CONFLICT, Resolution.CONFLICT);
    }

    @Test
    void aDeleteWithoutUserAfterItsMemberWasDeletedVoidsTheRowOfItsUser() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 547, null, "u-7", 25, 77)));
        final LegacyLedgerChange delete = legacy(ChangeOp.d, 547, null, "u-7", 25, 78);
        harness.processElement2(new StreamRecord<>(new LegacyLedgerChange(
                delete.op(),
                delete.businessKey(),
                delete.legacyTxnId(),
                delete.memberId(),
                null,
                delete.points(),
                delete.txnType(),
                delete.amount(),
                delete.sourceTxnRef(),
                delete.eventTime(),
                delete.updatedAt(),
                delete.lsn())));

        assertThat(last(ledger()))
                .extracting(LedgerRow::userId, LedgerRow::status, LedgerRow::points)
                .containsExactly("u-7", "VOID", 0L);
        assertThat(last(audit()).resolution()).isEqualTo(Resolution.LEGACY_ONLY);
    }

    @Test
    void aLegacyOnlyRowFollowsItsMemberReKey() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 545, null, "legacy-7", 25, 74)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.u, 545, null, "u-7", 25, 75)));
        harness.processElement1(new StreamRecord<>(purchase("legacy-545", "u-7", 25)));

        assertThat(last(ledger()).userId()).isEqualTo("u-7");
        assertThat(last(audit()).resolution()).isEqualTo(Resolution.MERGED_DUPLICATE);
    }

    @Test
    void anyArrivalOrderGivesTheSameEndState() throws Exception {
        final List<Object> events = List.of(
                purchase("t-20", "u-1", 100),
                legacy(ChangeOp.c, 520, "t-20", "u-1", 90, 40),
                legacy(ChangeOp.u, 520, "t-20", "u-1", 100, 41),
                legacy(ChangeOp.c, 521, null, "legacy-7", 5, 42),
                legacy(ChangeOp.d, 521, null, "legacy-7", 5, 43),
                pausedPurchase("t-22", "u-2", 70));
        EndState expected = null;
        for (final List<Object> order : permutations(events)) {
            try (var run = newHarness()) {
                feed(run, order);
                final EndState state = endState(run);
                if (expected == null) {
                    expected = state;
                }
                assertThat(state).as("end state after %s", order).isEqualTo(expected);
            }
        }
        assertThat(expected.audit().get("t-20").resolution()).isEqualTo(Resolution.MERGED_DUPLICATE);
        assertThat(expected.ledger().get("legacy-521").status()).isEqualTo("VOID");
        assertThat(expected.ledger().get("t-22").status()).isEqualTo("PAUSED");
    }

    private record EndState(Map<String, LedgerRow> ledger, Map<String, AuditRow> audit) {}

    private static EndState endState(
            final KeyedTwoInputStreamOperatorTestHarness<String, LedgerEntry, LegacyLedgerChange, LedgerRow> run) {
        return new EndState(byKey(run.extractOutputValues()), byKey(values(run.getSideOutput(LedgerReconciler.AUDIT))));
    }

    private static void feed(
            final KeyedTwoInputStreamOperatorTestHarness<String, LedgerEntry, LegacyLedgerChange, LedgerRow> run,
            final List<Object> events)
            throws Exception {
        for (final Object event : events) {
            if (event instanceof LedgerEntry entry) {
                run.processElement1(new StreamRecord<>(entry));
            } else {
                run.processElement2(new StreamRecord<>((LegacyLedgerChange) event));
            }
        }
    }

    private static LedgerEntry recordedLater(final LedgerEntry entry) {
        return new LedgerEntry(
                entry.businessKey(),
                entry.userId(),
                entry.points(),
                entry.withheldPoints(),
                entry.status(),
                entry.entryType(),
                entry.transactionId(),
                entry.redemptionId(),
                entry.storeId(),
                entry.amount(),
                entry.multiplier(),
                entry.eventTime(),
                entry.recordedAt().plusSeconds(60));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, LedgerEntry, LegacyLedgerChange, LedgerRow>
            newHarness() throws Exception {
        final var harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                new LedgerReconciler(), LedgerEntry::businessKey, LegacyLedgerChange::businessKey, Types.STRING);
        harness.open();
        return harness;
    }

    /** The job's state backend, optionally restored from a snapshot. */
    private static KeyedTwoInputStreamOperatorTestHarness<String, LedgerEntry, LegacyLedgerChange, LedgerRow> onRocksDb(
            final OperatorSubtaskState restoreFrom) throws Exception {
        final var harness = new KeyedTwoInputStreamOperatorTestHarness<>(
                new KeyedCoProcessOperator<>(new LedgerReconciler()),
                LedgerEntry::businessKey,
                LegacyLedgerChange::businessKey,
                Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend(true));
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private List<LedgerRow> ledger() {
        return harness.extractOutputValues();
    }

    private List<AuditRow> audit() {
        return values(harness.getSideOutput(LedgerReconciler.AUDIT));
    }

    private static <T> List<T> values(final Iterable<StreamRecord<T>> records) {
        final List<T> out = new ArrayList<>();
        if (records != null) {
            records.forEach(record -> out.add(record.getValue()));
        }
        return out;
    }

    private static <T> T last(final List<T> values) {
        assertThat(values).isNotEmpty();
        return values.get(values.size() - 1);
    }

    /** The last row per key, as an upsert table would keep it. */
    private static <T> Map<String, T> byKey(final List<T> rows) {
        final Map<String, T> latest = new LinkedHashMap<>();
        for (final T row : rows) {
            latest.put(row instanceof LedgerRow ledger ? ledger.businessKey() : ((AuditRow) row).businessKey(), row);
        }
        return latest;
    }

    private static <T> List<List<T>> permutations(final List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        final List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            final List<T> rest = new ArrayList<>(items);
            final T head = rest.remove(i);
            for (final List<T> tail : permutations(rest)) {
                final List<T> order = new ArrayList<>();
                order.add(head);
                order.addAll(tail);
                out.add(order);
            }
        }
        return out;
    }
}
