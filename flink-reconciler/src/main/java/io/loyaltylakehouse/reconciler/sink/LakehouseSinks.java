package io.loyaltylakehouse.reconciler.sink;

import io.loyaltylakehouse.common.model.DeadLetter;
import io.loyaltylakehouse.common.model.FraudAlert;
import io.loyaltylakehouse.common.model.LateEvent;
import io.loyaltylakehouse.common.model.LegacyMember;
import io.loyaltylakehouse.iceberg.LoyaltyTables;
import io.loyaltylakehouse.iceberg.LoyaltyTables.TableDefinition;
import io.loyaltylakehouse.reconciler.ReconcilerPipeline;
import io.loyaltylakehouse.reconciler.metrics.LedgerFreshness;
import io.loyaltylakehouse.reconciler.records.AuditRow;
import io.loyaltylakehouse.reconciler.records.LedgerRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.iceberg.DistributionMode;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.TableLoader;
import org.apache.iceberg.flink.sink.FlinkSink;

/**
 * The job's outputs: every table is written by an Iceberg {@link FlinkSink} in upsert mode on the table's
 * identifier columns (commits on each checkpoint, so exactly once). Upserts need the versions of one key in
 * order: the sink keys its input by those equality columns (distribution mode NONE with equality fields),
 * and upstream every key is produced by one subtask in order (the reconciler is keyed by business key; the
 * pass-through topics are read partition by partition). Ledger and audit rows are stamped with
 * {@code written_at} (the wall clock) as they enter the writer, so every write, a replay included, moves it
 * forward for incremental readers. Dead letters go to a Kafka topic.
 */
public final class LakehouseSinks implements ReconcilerPipeline.Outputs {
    private final CatalogLoader catalog;
    private final Namespace namespace;
    private final Properties kafkaClient;
    private final String deadLetterTopic;

    public LakehouseSinks(
            final CatalogLoader catalog,
            final Namespace namespace,
            final Properties kafkaClient,
            final String deadLetterTopic) {
        this.catalog = Objects.requireNonNull(catalog, "catalog is null");
        this.namespace = Objects.requireNonNull(namespace, "namespace is null");
        this.kafkaClient = Objects.requireNonNull(kafkaClient, "kafkaClient is null");
        this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic is null");
    }

    @Override
    public void ledger(final DataStream<LedgerRow> rows) {
        upsert(
                rows.map(new LedgerFreshness()).name("ledger freshness").uid("freshness-points_ledger"),
                LoyaltyTables.POINTS_LEDGER,
                (schema, row) -> LakehouseRows.ledger(schema, row, Instant.now()));
    }

    @Override
    public void audit(final DataStream<AuditRow> rows) {
        upsert(
                rows,
                LoyaltyTables.RECONCILIATION_AUDIT,
                (schema, row) -> LakehouseRows.audit(schema, row, Instant.now()));
    }

    @Override
    public void fraudAlerts(final DataStream<FraudAlert> alerts) {
        upsert(alerts, LoyaltyTables.FRAUD_ALERTS, LakehouseRows::fraudAlert);
    }

    @Override
    public void lateEvents(final DataStream<LateEvent> events) {
        upsert(events, LoyaltyTables.LATE_EVENTS, LakehouseRows::lateEvent);
    }

    @Override
    public void members(final DataStream<LegacyMember> members) {
        upsert(members, LoyaltyTables.MEMBERS, LakehouseRows::member);
    }

    @Override
    public void deadLetters(final DataStream<DeadLetter> letters) {
        // At-least-once is enough here: a dead letter seen twice after a restart does no harm.
        letters.sinkTo(new DeadLetterSink(kafkaClient, deadLetterTopic))
                .name("kafka " + deadLetterTopic)
                .uid("sink-dead-letters");
    }

    /** The identifier of a contract table in this job's namespace. */
    public TableIdentifier identifierOf(final TableDefinition table) {
        return TableIdentifier.of(namespace, table.name());
    }

    private <T> void upsert(
            final DataStream<T> records, final TableDefinition table, final ToRowData.Conversion<T> conversion) {
        final TableLoader loader = TableLoader.fromCatalog(catalog, identifierOf(table));
        final Schema schema = liveSchema(loader);
        FlinkSink.forRowData(records.map(new ToRowData<>(schema, conversion))
                        .name("to " + table.name() + " rows")
                        .uid("rows-" + table.name()))
                .tableLoader(loader)
                .upsert(true)
                .equalityFieldColumns(table.keyColumns())
                .distributionMode(DistributionMode.NONE)
                .uidPrefix("iceberg-" + table.name())
                .append()
                .name("iceberg " + table.name());
    }

    private static Schema liveSchema(final TableLoader loader) {
        try (TableLoader opened = loader.clone()) {
            opened.open();
            return opened.loadTable().schema();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot load the table schema", e);
        }
    }
}
