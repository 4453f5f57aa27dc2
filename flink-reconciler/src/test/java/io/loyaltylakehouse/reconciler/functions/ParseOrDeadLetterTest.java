package io.loyaltylakehouse.reconciler.functions;

import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.legacy;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.purchase;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.raw;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.LedgerEntry;
import io.loyaltylakehouse.common.model.LegacyLedgerChange;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.reconciler.serde.Parsers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

class ParseOrDeadLetterTest {

    @Test
    void goodRecordsPassAndBadOnesBecomeDeadLettersWithTheirReason() throws Exception {
        try (OneInputStreamOperatorTestHarness<io.loyaltylakehouse.reconciler.records.KafkaRecord, LedgerEntry>
                harness = ProcessFunctionTestHarnesses.forProcessFunction(
                        new ParseOrDeadLetter<>(Parsers::ledgerEntry, LedgerEntry.class))) {
            harness.processElement(new StreamRecord<>(raw("points_ledger", "u-1", purchase("t-1", "u-1", 10))));
            harness.processElement(new StreamRecord<>(raw("points_ledger", "u-1", "{not json")));
            harness.processElement(new StreamRecord<>(raw("points_ledger", "u-1", Map.of("user_id", "u-1"))));
            harness.processElement(new StreamRecord<>(raw("points_ledger", "u-1", null)));

            assertThat(harness.extractOutputValues()).containsExactly(purchase("t-1", "u-1", 10));
            final List<DeadLetter> letters = new ArrayList<>();
            harness.getSideOutput(ParseOrDeadLetter.DEAD_LETTERS).forEach(record -> letters.add(record.getValue()));
            assertThat(letters).hasSize(3).allSatisfy(letter -> {
                assertThat(letter.sourceTopic()).isEqualTo("points_ledger");
                assertThat(letter.offset()).isEqualTo(42L);
            });
            assertThat(letters.get(0).raw()).isEqualTo("{not json");
            assertThat(letters.get(1).error()).contains("business_key is missing");
            assertThat(letters.get(2).error()).contains("tombstone");
        }
    }

    @Test
    void legacyChangesWithAnUnknownTxnTypeAreRefused() throws Exception {
        final LegacyLedgerChange good = legacy(ChangeOp.c, 1, null, "legacy-7", 5, 1);
        final String bad = io.loyaltylakehouse.common.json.Json.toJson(good).replace("\"EARN\"", "\"GIFT\"");
        try (var harness = ProcessFunctionTestHarnesses.forProcessFunction(
                new ParseOrDeadLetter<>(Parsers::legacyLedgerChange, LegacyLedgerChange.class))) {
            harness.processElement(new StreamRecord<>(raw("legacy_ledger_changes", "legacy-1", good)));
            harness.processElement(new StreamRecord<>(raw("legacy_ledger_changes", "legacy-1", bad)));

            assertThat(harness.extractOutputValues()).containsExactly(good);
            assertThat(harness.getSideOutput(ParseOrDeadLetter.DEAD_LETTERS))
                    .singleElement()
                    .satisfies(letter -> assertThat(letter.getValue().error()).contains("GIFT"));
        }
    }
}
