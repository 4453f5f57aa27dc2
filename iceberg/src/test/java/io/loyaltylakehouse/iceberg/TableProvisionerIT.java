package io.loyaltylakehouse.iceberg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.iceberg.LoyaltyTables.TableDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against the test stack's PostgreSQL catalog, in a catalog name of its own so nothing else is touched. */
class TableProvisionerIT {
    @TempDir
    Path warehouse;

    private JdbcCatalog openCatalog() {
        final Settings settings = Settings.load("iceberg")
                .with(Map.of(
                        "iceberg.catalog.name",
                        "provisioner_it_" + UUID.randomUUID().toString().substring(0, 8),
                        "iceberg.warehouse",
                        warehouse.toUri().toString()));
        return CatalogSettings.from(settings).open();
    }

    @Test
    void provisioningTwiceGivesTheSameTables() throws Exception {
        try (JdbcCatalog catalog = openCatalog()) {
            final TableProvisioner provisioner = new TableProvisioner(catalog);
            final List<Table> first = provisioner.provision(List.of(LoyaltyTables.LOYALTY), LoyaltyTables.ALL);
            final List<Table> second = provisioner.provision(List.of(LoyaltyTables.LOYALTY), LoyaltyTables.ALL);

            assertThat(second).hasSize(LoyaltyTables.ALL.size());
            for (int index = 0; index < first.size(); index++) {
                assertThat(second.get(index).location())
                        .isEqualTo(first.get(index).location());
                assertThat(second.get(index)
                                .schema()
                                .sameSchema(first.get(index).schema()))
                        .isTrue();
                assertThat(((org.apache.iceberg.BaseTable) second.get(index))
                                .operations()
                                .current()
                                .formatVersion())
                        .isEqualTo(2);
            }
            assertThat(catalog.loadTable(LoyaltyTables.POINTS_LEDGER.identifier())
                            .schema()
                            .identifierFieldNames())
                    .containsExactly("business_key");
            assertThat(warehouse.resolve("loyalty/points_ledger/metadata")).isDirectory();
        }
    }

    @Test
    void anExistingTableGainsItsMissingOptionalColumnsOnceAndKeepsItsRows() throws Exception {
        try (JdbcCatalog catalog = openCatalog()) {
            final TableDefinition before = withoutColumn(LoyaltyTables.POINTS_LEDGER, "written_at");
            final TableProvisioner provisioner = new TableProvisioner(catalog);
            final Table older = provisioner
                    .provision(List.of(LoyaltyTables.LOYALTY), List.of(before))
                    .get(0);

            final Table evolved = provisioner
                    .provision(List.of(), List.of(LoyaltyTables.POINTS_LEDGER))
                    .get(0);
            final String metadataAfterFirst = ((org.apache.iceberg.BaseTable) evolved)
                    .operations()
                    .current()
                    .metadataFileLocation();
            final Table again = provisioner
                    .provision(List.of(), List.of(LoyaltyTables.POINTS_LEDGER))
                    .get(0);

            assertThat(evolved.schema().findField("written_at").type()).isEqualTo(Types.TimestampType.withZone());
            assertThat(evolved.schema().columns())
                    .extracting(Types.NestedField::name)
                    .containsExactlyElementsOf(LoyaltyTables.POINTS_LEDGER.schema().columns().stream()
                            .map(Types.NestedField::name)
                            .toList());
            assertThat(evolved.schema().identifierFieldNames()).containsExactly("business_key");
            assertThat(evolved.location()).isEqualTo(older.location());
            assertThat(((org.apache.iceberg.BaseTable) again)
                            .operations()
                            .current()
                            .metadataFileLocation())
                    .as("a second run changes nothing")
                    .isEqualTo(metadataAfterFirst);
        }
    }

    @Test
    void anExistingTableWithoutARequiredColumnIsReportedNotChanged() throws Exception {
        try (JdbcCatalog catalog = openCatalog()) {
            final TableIdentifier id = TableIdentifier.of(Namespace.of("loyalty"), "members");
            final TableDefinition older = new TableDefinition(
                    id,
                    new org.apache.iceberg.Schema(
                            List.of(Types.NestedField.required(1, "legacy_member_ref", Types.StringType.get())),
                            java.util.Set.of(1)),
                    spec -> spec);
            final TableProvisioner provisioner = new TableProvisioner(catalog);
            provisioner.provision(List.of(LoyaltyTables.LOYALTY), List.of(older));

            assertThatThrownBy(() -> provisioner.provision(List.of(), List.of(LoyaltyTables.MEMBERS)))
                    .hasMessageStartingWith("table loyalty.members exists without required column 'member_id'");
            assertThat(catalog.loadTable(id).schema().columns())
                    .extracting(Types.NestedField::name)
                    .containsExactly("legacy_member_ref");
        }
    }

    private static TableDefinition withoutColumn(final TableDefinition table, final String column) {
        final org.apache.iceberg.Schema schema = new org.apache.iceberg.Schema(
                table.schema().columns().stream()
                        .filter(field -> !field.name().equals(column))
                        .toList(),
                table.schema().identifierFieldIds());
        return new TableDefinition(table.identifier(), schema, table.partitioning());
    }
}
