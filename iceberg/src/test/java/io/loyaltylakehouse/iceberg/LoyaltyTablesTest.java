package io.loyaltylakehouse.iceberg;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.iceberg.LoyaltyTables.TableDefinition;
import org.apache.iceberg.PartitionField;
import org.junit.jupiter.api.Test;

class LoyaltyTablesTest {

    @Test
    void ledgerHasTheContractColumnsKeyedByBusinessKey() {
        assertThat(LoyaltyTables.POINTS_LEDGER.schema().columns())
                .extracting(column -> column.name())
                .containsExactly(
                        "business_key",
                        "user_id",
                        "points",
                        "withheld_points",
                        "status",
                        "entry_type",
                        "sources",
                        "transaction_id",
                        "legacy_txn_id",
                        "event_time",
                        "updated_at",
                        "written_at");
        assertThat(LoyaltyTables.POINTS_LEDGER.keyColumns()).containsExactly("business_key");
    }

    @Test
    void ledgerAndAuditCarryWhenTheReconcilerLastWroteTheRow() {
        for (final TableDefinition table :
                java.util.List.of(LoyaltyTables.POINTS_LEDGER, LoyaltyTables.RECONCILIATION_AUDIT)) {
            assertThat(table.schema().findField("written_at").type())
                    .as("written_at of %s", table.identifier())
                    .isEqualTo(org.apache.iceberg.types.Types.TimestampType.withZone());
            assertThat(table.schema().findField("written_at").isOptional()).isTrue();
        }
    }

    @Test
    void everyPartitionSourceIsPartOfTheKeySoUpsertsStayCorrect() {
        for (final TableDefinition table : LoyaltyTables.ALL) {
            for (final PartitionField field : table.spec().fields()) {
                assertThat(table.keyColumns())
                        .as("partition source of %s", table.identifier())
                        .contains(table.schema().findColumnName(field.sourceId()));
            }
        }
    }

    @Test
    void auditMembersAndAlertsHaveTheirKeys() {
        assertThat(LoyaltyTables.RECONCILIATION_AUDIT.keyColumns()).containsExactly("business_key");
        assertThat(LoyaltyTables.MEMBERS.keyColumns()).containsExactly("member_id");
        assertThat(LoyaltyTables.FRAUD_ALERTS.keyColumns()).containsExactly("transaction_id");
        assertThat(LoyaltyTables.LATE_EVENTS.keyColumns()).containsExactly("transaction_id");
    }
}
