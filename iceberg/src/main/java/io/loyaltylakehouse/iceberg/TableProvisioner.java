package io.loyaltylakehouse.iceberg;

import io.loyaltylakehouse.common.config.Settings;
import io.loyaltylakehouse.iceberg.LoyaltyTables.TableDefinition;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the namespaces and tables of {@link LoyaltyTables} if they are absent, so it can run at every
 * {@code make up}. An existing table gains, by schema evolution, the optional columns the code defines and it
 * lacks (so {@code written_at} reaches tables made before it existed; running again adds nothing). A missing
 * required column cannot be added to rows already written, so it fails loudly instead of writers failing later.
 */
public final class TableProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TableProvisioner.class);

    /** Format v2 (row-level deletes for upserts; what Trino 476 reads), merge-on-read for streaming upserts. */
    static final Map<String, String> TABLE_PROPERTIES = Map.of(
            TableProperties.FORMAT_VERSION, "2",
            TableProperties.DEFAULT_FILE_FORMAT, "parquet",
            TableProperties.UPSERT_ENABLED, "true",
            TableProperties.DELETE_MODE, "merge-on-read",
            TableProperties.UPDATE_MODE, "merge-on-read",
            TableProperties.MERGE_MODE, "merge-on-read",
            TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true",
            TableProperties.METADATA_PREVIOUS_VERSIONS_MAX, "20");

    private final Catalog catalog;

    public TableProvisioner(final Catalog catalog) {
        this.catalog = catalog;
    }

    /** Ensures every namespace and table exists; returns the tables. */
    public List<Table> provision(final List<Namespace> namespaces, final List<TableDefinition> tables) {
        namespaces.forEach(this::ensureNamespace);
        return tables.stream().map(this::ensureTable).toList();
    }

    void ensureNamespace(final Namespace namespace) {
        final SupportsNamespaces namespaces = (SupportsNamespaces) catalog;
        if (!namespaces.namespaceExists(namespace)) {
            namespaces.createNamespace(namespace);
            LOG.info("created namespace {}", namespace);
        }
    }

    Table ensureTable(final TableDefinition definition) {
        if (!catalog.tableExists(definition.identifier())) {
            final Table created = catalog.buildTable(definition.identifier(), definition.schema())
                    .withPartitionSpec(definition.spec())
                    .withProperties(TABLE_PROPERTIES)
                    .create();
            LOG.info("created table {} at {}", definition.identifier(), created.location());
            return created;
        }
        final Table existing = catalog.loadTable(definition.identifier());
        final List<Types.NestedField> missing = definition.schema().columns().stream()
                .filter(column -> existing.schema().findField(column.name()) == null)
                .toList();
        if (missing.isEmpty()) {
            return existing;
        }
        missing.stream().filter(Types.NestedField::isRequired).findFirst().ifPresent(column -> {
            throw new IllegalStateException(
                    "table " + definition.identifier() + " exists without required column '" + column.name()
                            + "'; it cannot be added to existing rows: migrate the table before starting the writers");
        });
        final UpdateSchema update = existing.updateSchema();
        missing.forEach(column -> update.addColumn(column.name(), column.type(), column.doc()));
        update.commit();
        LOG.info(
                "added columns {} to table {}",
                missing.stream().map(Types.NestedField::name).toList(),
                definition.identifier());
        existing.refresh();
        return existing;
    }

    /** Provisions the contract's tables in the configured catalog. */
    public static void main(final String[] args) throws Exception {
        final CatalogSettings settings = CatalogSettings.from(Settings.load("iceberg"));
        try (var catalog = settings.open()) {
            new TableProvisioner(catalog)
                    .provision(List.of(LoyaltyTables.LOYALTY, LoyaltyTables.ANALYTICS), LoyaltyTables.ALL);
            LOG.info(
                    "catalog '{}' ready: {} tables in {}",
                    settings.name(),
                    LoyaltyTables.ALL.size(),
                    settings.warehouse());
        }
    }
}
