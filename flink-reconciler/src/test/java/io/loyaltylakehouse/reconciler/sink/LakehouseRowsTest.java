package io.loyaltylakehouse.reconciler.sink;

import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.PURCHASED_AT;
import static io.loyaltylakehouse.reconciler.ReconcilerFixtures.member;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LegacyLedgerChange.ChangeOp;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.AuditRow.Resolution;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.math.BigDecimal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.types.RowKind;
import org.apache.iceberg.Schema;
import org.junit.jupiter.api.Test;

class LakehouseRowsTest {

    @Test
    void aLedgerRowFillsEveryColumnByName() {
        final Schema schema = LoyaltyTables.POINTS_LEDGER.schema();
        final RowData row = LakehouseRows.ledger(
                schema,
                new LedgerRow(
                        "t-1",
                        "u-1",
                        0,
                        150,
                        "PAUSED",
                        "EARN",
                        LedgerRow.SOURCE_REALTIME,
                        "t-1",
                        null,
                        PURCHASED_AT,
                        PURCHASED_AT.plusSeconds(1)),
                PURCHASED_AT.plusSeconds(90));

        assertThat(row.getRowKind()).isEqualTo(RowKind.INSERT);
        assertThat(row.getString(position(schema, "business_key")).toString()).isEqualTo("t-1");
        assertThat(row.getLong(position(schema, "withheld_points"))).isEqualTo(150L);
        assertThat(row.isNullAt(position(schema, "legacy_txn_id"))).isTrue();
        assertThat(row.getTimestamp(position(schema, "event_time"), 6).toInstant())
                .isEqualTo(PURCHASED_AT);
        assertThat(row.getTimestamp(position(schema, "written_at"), 6).toInstant())
                .isEqualTo(PURCHASED_AT.plusSeconds(90));
    }

    @Test
    void anAuditRowCarriesWhenItWasWritten() {
        final Schema schema = LoyaltyTables.RECONCILIATION_AUDIT.schema();
        final RowData row = LakehouseRows.audit(
                schema,
                new AuditRow("t-1", 120L, 100L, Resolution.CONFLICT, PURCHASED_AT),
                PURCHASED_AT.plusSeconds(30));

        assertThat(row.getString(position(schema, "resolution")).toString()).isEqualTo("CONFLICT");
        assertThat(row.getTimestamp(position(schema, "decided_at"), 6).toInstant())
                .isEqualTo(PURCHASED_AT);
        assertThat(row.getTimestamp(position(schema, "written_at"), 6).toInstant())
                .isEqualTo(PURCHASED_AT.plusSeconds(30));
    }

    @Test
    void aLateEventKeepsItsAmountAtTheColumnScale() {
        final Schema schema = LoyaltyTables.LATE_EVENTS.schema();
        final RowData row = LakehouseRows.lateEvent(
                schema,
                new LateEvent(
                        "t-9",
                        "u-1",
                        "s-1",
                        new BigDecimal("25.9"),
                        25,
                        PURCHASED_AT,
                        660_000,
                        PURCHASED_AT.plusSeconds(660)));

        assertThat(row.getDecimal(position(schema, "amount"), 12, 2).toBigDecimal())
                .isEqualByComparingTo("25.90");
    }

    @Test
    void aDeletedMemberBecomesADeleteRow() {
        final Schema schema = LoyaltyTables.MEMBERS.schema();

        assertThat(LakehouseRows.member(schema, member(ChangeOp.d, 7, "GOLD", 9))
                        .getRowKind())
                .isEqualTo(RowKind.DELETE);
        assertThat(LakehouseRows.member(schema, member(ChangeOp.u, 7, "GOLD", 9))
                        .getRowKind())
                .isEqualTo(RowKind.INSERT);
    }

    @Test
    void anUnknownColumnIsNamedInTheError() {
        assertThatThrownBy(() -> IcebergRow.of(LoyaltyTables.MEMBERS.schema(), RowKind.INSERT)
                        .set("tier_name", "x"))
                .hasMessageStartingWith("column 'tier_name' is not in the table schema");
    }

    private static int position(final Schema schema, final String column) {
        return schema.columns().indexOf(schema.findField(column));
    }
}
