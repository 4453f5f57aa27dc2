package io.loyaltylakehouse.iceberg;

import static org.apache.iceberg.types.Types.NestedField.optional;
import static org.apache.iceberg.types.Types.NestedField.required;

import java.util.List;
import java.util.Set;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.types.Types;

/**
 * The lakehouse tables of CONTRACT section 6, defined once. Every table has an identifier field
 * ({@code business_key}, {@code transaction_id} or {@code member_id}) so writers upsert: a replayed
 * message replaces its row instead of duplicating it. Upsert needs every partition source column in the
 * key, so tables are bucketed by their key rather than partitioned by day of event time. Few buckets: every
 * writer subtask writes a data and an equality-delete file per bucket it sees on each checkpoint, and that per-file
 * cost, not the rows, was most of the reconciler's write time with 8 (bench/results/flink-reconciler.md).
 */
public final class LoyaltyTables {
    public static final Namespace LOYALTY = Namespace.of("loyalty");
    /** dbt's schema; created empty so analysts and dbt find it on a fresh stack. */
    public static final Namespace ANALYTICS = Namespace.of("analytics");

    /** Buckets of the two tables the reconciler writes on every record (points_ledger, reconciliation_audit). */
    public static final int LEDGER_BUCKETS = 2;

    /** Wall clock of the reconciler's last write of a row: what incremental models and freshness checks select by. */
    private static final String WRITTEN_AT_DOC = "when the reconciler last wrote the row (UTC)";

    public static final TableDefinition POINTS_LEDGER = new TableDefinition(
            TableIdentifier.of(LOYALTY, "points_ledger"),
            new Schema(
                    List.of(
                            required(
                                    1,
                                    "business_key",
                                    Types.StringType.get(),
                                    "transaction_id, redemption_id or legacy-<txn_id>"),
                            optional(2, "user_id", Types.StringType.get()),
                            optional(
                                    3,
                                    "points",
                                    Types.LongType.get(),
                                    "what counts toward the balance: 0 when PAUSED or VOID"),
                            optional(4, "withheld_points", Types.LongType.get(), "what a fraud pause held back"),
                            optional(5, "status", Types.StringType.get(), "AWARDED, PAUSED or VOID"),
                            optional(6, "entry_type", Types.StringType.get(), "EARN, REDEEM or ADJUST"),
                            optional(7, "sources", Types.StringType.get(), "realtime, legacy or realtime+legacy"),
                            optional(8, "transaction_id", Types.StringType.get()),
                            optional(9, "legacy_txn_id", Types.LongType.get()),
                            optional(10, "event_time", Types.TimestampType.withZone()),
                            optional(11, "updated_at", Types.TimestampType.withZone()),
                            optional(12, "written_at", Types.TimestampType.withZone(), WRITTEN_AT_DOC)),
                    Set.of(1)),
            spec -> spec.bucket("business_key", LEDGER_BUCKETS));

    public static final TableDefinition RECONCILIATION_AUDIT = new TableDefinition(
            TableIdentifier.of(LOYALTY, "reconciliation_audit"),
            new Schema(
                    List.of(
                            required(1, "business_key", Types.StringType.get()),
                            optional(2, "realtime_points", Types.LongType.get()),
                            optional(3, "legacy_points", Types.LongType.get()),
                            optional(
                                    4,
                                    "resolution",
                                    Types.StringType.get(),
                                    "REALTIME_ONLY, LEGACY_ONLY, MERGED_DUPLICATE or CONFLICT"),
                            optional(5, "decided_at", Types.TimestampType.withZone()),
                            optional(6, "written_at", Types.TimestampType.withZone(), WRITTEN_AT_DOC)),
                    Set.of(1)),
            spec -> spec.bucket("business_key", LEDGER_BUCKETS));

    public static final TableDefinition FRAUD_ALERTS = new TableDefinition(
            TableIdentifier.of(LOYALTY, "fraud_alerts"),
            new Schema(
                    List.of(
                            required(
                                    1, "transaction_id", Types.StringType.get(), "the purchase that crossed the limit"),
                            optional(2, "user_id", Types.StringType.get()),
                            optional(3, "window_start", Types.TimestampType.withZone()),
                            optional(4, "window_end", Types.TimestampType.withZone()),
                            optional(5, "points_in_window", Types.LongType.get()),
                            optional(6, "paused_until", Types.TimestampType.withZone())),
                    Set.of(1)),
            spec -> spec.bucket("transaction_id", 4));

    public static final TableDefinition LATE_EVENTS = new TableDefinition(
            TableIdentifier.of(LOYALTY, "late_events"),
            new Schema(
                    List.of(
                            required(1, "transaction_id", Types.StringType.get()),
                            optional(2, "user_id", Types.StringType.get()),
                            optional(3, "store_id", Types.StringType.get()),
                            optional(4, "amount", Types.DecimalType.of(12, 2)),
                            optional(5, "points", Types.LongType.get()),
                            optional(6, "event_time", Types.TimestampType.withZone()),
                            optional(7, "lateness_ms", Types.LongType.get()),
                            optional(8, "seen_at", Types.TimestampType.withZone())),
                    Set.of(1)),
            spec -> spec.bucket("transaction_id", 4));

    public static final TableDefinition MEMBERS = new TableDefinition(
            TableIdentifier.of(LOYALTY, "members"),
            new Schema(
                    List.of(
                            required(1, "member_id", Types.LongType.get()),
                            optional(2, "user_id", Types.StringType.get()),
                            optional(3, "email", Types.StringType.get()),
                            optional(4, "full_name", Types.StringType.get()),
                            optional(5, "tier", Types.StringType.get()),
                            optional(6, "updated_at", Types.TimestampType.withZone())),
                    Set.of(1)),
            spec -> spec);

    public static final List<TableDefinition> ALL =
            List.of(POINTS_LEDGER, RECONCILIATION_AUDIT, FRAUD_ALERTS, LATE_EVENTS, MEMBERS);

    private LoyaltyTables() {}

    /** One table: its identifier, schema (with identifier fields) and partitioning. */
    public record TableDefinition(TableIdentifier identifier, Schema schema, PartitionShape partitioning) {
        public PartitionSpec spec() {
            return partitioning.apply(PartitionSpec.builderFor(schema)).build();
        }

        /** The identifier field names, which are the equality columns of an upsert sink. */
        public List<String> keyColumns() {
            return schema.identifierFieldNames().stream().sorted().toList();
        }

        public String name() {
            return identifier.name();
        }
    }

    /** Adds partition fields to a spec builder. */
    @FunctionalInterface
    public interface PartitionShape {
        PartitionSpec.Builder apply(PartitionSpec.Builder builder);
    }
}
