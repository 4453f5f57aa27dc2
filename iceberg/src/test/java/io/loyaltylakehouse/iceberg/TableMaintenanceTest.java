package io.loyaltylakehouse.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableMaintenanceTest {
    private final TableMaintenance maintenance = new TableMaintenance("1h");

    @Test
    void eachTaskIsOneTrinoTableProcedure() {
        assertThat(maintenance.statements("compact", "points_ledger"))
                .containsExactly("ALTER TABLE iceberg.loyalty.points_ledger EXECUTE optimize");
        assertThat(maintenance.statements("all", "members"))
                .containsExactly(
                        "ALTER TABLE iceberg.loyalty.members EXECUTE optimize",
                        "ALTER TABLE iceberg.loyalty.members EXECUTE expire_snapshots(retention_threshold => '1h')",
                        "ALTER TABLE iceberg.loyalty.members EXECUTE remove_orphan_files(retention_threshold => '1h')");
    }

    @Test
    void unknownTasksAreRefused() {
        assertThatThrownBy(() -> maintenance.statements("vacuum", "members"))
                .hasMessageStartingWith("unknown maintenance task 'vacuum'");
    }
}
