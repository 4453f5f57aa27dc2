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
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LedgerReconcilerTest {
    private static final Duration RETENTION = Duration.ofDays(7);

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
        assertThat(last(audit())).isEqualTo(new AuditRow("t-1", 120L, 120L, Resolution.MERGED_DUPLICATE, row.updatedAt()));
    }

    @Test
    void legacyThenRealtimeEndsInTheSameRow() throws Exception {
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 501, "t-1", "u-1", 120, 10)));
        final List<LedgerRow> firstSeen = ledger();
        harness.processElement1(new StreamRecord<>(purchase("t-1", "u-1", 120)));

        assertThat(firstSeen).singleElement().satisfies(row -> assertThat(row.sources()).isEqualTo(LedgerRow.SOURCE_LEGACY));
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
        assertThat(last(audit())).extracting(AuditRow::resolution, AuditRow::legacyPoints)
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

        assertThat(ledger()).singleElement().satisfies(row -> assertThat(row.points()).isEqualTo(80));
    }

    @Test
    void aRepeatedRealtimeEntryWritesNothingNew() throws Exception {
        harness.processElement1(new StreamRecord<>(purchase("t-9", "u-1", 10)));
        harness.processElement1(new StreamRecord<>(purchase("t-9", "u-1", 10)));

        assertThat(ledger()).hasSize(1);
    }

    @Test
    void stateAndTimersAreClearedAfterTheRetention() throws Exception {
        harness.setProcessingTime(1_000);
        harness.processElement1(new StreamRecord<>(purchase("t-10", "u-1", 10)));
        harness.processElement2(new StreamRecord<>(legacy(ChangeOp.c, 510, "t-10", "u-1", 10, 30)));
        assertThat(harness.numProcessingTimeTimers()).isEqualTo(1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);

        harness.setProcessingTime(1_000 + RETENTION.toMillis() - 1);
        assertThat(harness.numKeyedStateEntries()).isEqualTo(3);
        harness.setProcessingTime(1_000 + RETENTION.toMillis());

        assertThat(harness.numProcessingTimeTimers()).isZero();
        assertThat(harness.numKeyedStateEntries()).isZero();
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
                for (final Object event : order) {
                    if (event instanceof LedgerEntry entry) {
                        run.processElement1(new StreamRecord<>(entry));
                    } else {
                        run.processElement2(new StreamRecord<>((LegacyLedgerChange) event));
                    }
                }
                final EndState state = new EndState(byKey(run.extractOutputValues()), byKey(values(run.getSideOutput(LedgerReconciler.AUDIT))));
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

    private record EndState(Map<String, LedgerRow> ledger, Map<String, AuditRow> audit) {
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, LedgerEntry, LegacyLedgerChange, LedgerRow> newHarness()
            throws Exception {
        final var harness = ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(new LedgerReconciler(RETENTION),
                LedgerEntry::businessKey, LegacyLedgerChange::businessKey, Types.STRING);
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
