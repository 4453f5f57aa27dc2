package io.loyaltylakehouse.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.iceberg.LoyaltyTables;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.parquet.Parquet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Issue 2's acceptance: the contract's tables through Trino, its access rules, the cross-engine path, persistence. */
class LakehouseStackIT {

    @Test
    void analystSeesTheContractTables() throws SQLException {
        try (Connection analyst = Lakehouse.trino("analyst")) {
            assertThat(Lakehouse.query(analyst, "SHOW TABLES FROM iceberg.loyalty"))
                    .extracting(row -> row.get(0))
                    .contains("points_ledger", "reconciliation_audit", "fraud_alerts", "late_events", "members");
        }
    }

    @Test
    void analystMayOnlyReadAndDbtMayWriteAnalytics() throws SQLException {
        final String table =
                "iceberg.analytics.access_check_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection analyst = Lakehouse.trino("analyst");
                Connection dbt = Lakehouse.trino("dbt")) {
            assertThatThrownBy(() -> Lakehouse.execute(analyst, "DELETE FROM iceberg.loyalty.points_ledger"))
                    .hasMessageContaining("Access Denied");
            assertThatThrownBy(() -> Lakehouse.execute(analyst, "CREATE TABLE " + table + " (a integer)"))
                    .hasMessageContaining("Access Denied");
            assertThatThrownBy(() -> Lakehouse.execute(dbt, "DELETE FROM iceberg.loyalty.points_ledger"))
                    .hasMessageContaining("Access Denied");

            Lakehouse.execute(dbt, "CREATE TABLE " + table + " AS SELECT 1 AS a");
            assertThat(Lakehouse.query(analyst, "SELECT a FROM " + table)).containsExactly(List.of("1"));
            assertThat(Lakehouse.query(dbt, "SELECT count(*) FROM iceberg.loyalty.points_ledger"))
                    .hasSize(1);
            Lakehouse.execute(dbt, "DROP TABLE " + table);
        }
    }

    @Test
    void rowsCrossBetweenJavaAndTrino() throws Exception {
        final String fromJava = "it-java-" + UUID.randomUUID();
        final String fromTrino = "it-trino-" + UUID.randomUUID();
        try (JdbcCatalog catalog = Lakehouse.catalog().open();
                Connection admin = Lakehouse.trino("loyalty_admin");
                Connection analyst = Lakehouse.trino("analyst")) {
            final Table ledger = catalog.loadTable(LoyaltyTables.POINTS_LEDGER.identifier());
            appendLedgerRow(ledger, fromJava, 42);
            assertThat(Lakehouse.query(
                            analyst,
                            "SELECT user_id, points, status FROM iceberg.loyalty.points_ledger WHERE business_key = '"
                                    + fromJava + "'"))
                    .containsExactly(List.of("it-user", "42", "AWARDED"));

            Lakehouse.execute(
                    admin,
                    "INSERT INTO iceberg.loyalty.points_ledger (business_key, user_id, points, status, "
                            + "entry_type, sources, event_time) VALUES ('" + fromTrino
                            + "', 'it-user', 7, 'AWARDED', 'EARN', "
                            + "'realtime', TIMESTAMP '2026-11-25 12:00:00 UTC')");
            ledger.refresh();
            try (CloseableIterable<Record> rows = IcebergGenerics.read(ledger)
                    .where(Expressions.equal("business_key", fromTrino))
                    .build()) {
                assertThat(rows).singleElement().satisfies(row -> {
                    assertThat(row.getField("points")).isEqualTo(7L);
                    assertThat(row.getField("event_time"))
                            .isEqualTo(OffsetDateTime.of(2026, 11, 25, 12, 0, 0, 0, ZoneOffset.UTC));
                });
            }
            Lakehouse.execute(
                    admin,
                    "DELETE FROM iceberg.loyalty.points_ledger WHERE business_key IN ('" + fromJava + "', '" + fromTrino
                            + "')");
        }
    }

    /** {@code make down} then {@code make up}: topics, their records, legacy rows and Iceberg tables remain. */
    @Test
    void dataSurvivesDownAndUp() throws Exception {
        final String marker = "persist-" + UUID.randomUUID();
        final long endOffsetBefore;
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("promotions", marker, null)).get(30, TimeUnit.SECONDS);
        }
        endOffsetBefore = promotionsEndOffset();
        try (Connection legacy = Lakehouse.postgres(Lakehouse.SETTINGS.require("pg.legacy.database"))) {
            Lakehouse.execute(legacy, "CREATE TABLE IF NOT EXISTS public.persistence_check (marker text)");
            Lakehouse.execute(legacy, "INSERT INTO public.persistence_check VALUES ('" + marker + "')");
        }

        Lakehouse.launcher("down");
        Lakehouse.launcher("up");

        assertThat(promotionsEndOffset()).isEqualTo(endOffsetBefore);
        try (Connection legacy = Lakehouse.postgres(Lakehouse.SETTINGS.require("pg.legacy.database"))) {
            assertThat(Lakehouse.query(
                            legacy, "SELECT marker FROM public.persistence_check WHERE marker = '" + marker + "'"))
                    .hasSize(1);
            Lakehouse.execute(legacy, "DELETE FROM public.persistence_check WHERE marker = '" + marker + "'");
        }
        try (Connection analyst = Lakehouse.trino("analyst")) {
            assertThat(Lakehouse.query(analyst, "SHOW TABLES FROM iceberg.loyalty"))
                    .hasSize(LoyaltyTables.ALL.size());
        }
    }

    private static void appendLedgerRow(final Table ledger, final String businessKey, final long points)
            throws Exception {
        final GenericRecord row = GenericRecord.create(ledger.schema());
        row.setField("business_key", businessKey);
        row.setField("user_id", "it-user");
        row.setField("points", points);
        row.setField("withheld_points", 0L);
        row.setField("status", "AWARDED");
        row.setField("entry_type", "EARN");
        row.setField("sources", "realtime");
        row.setField("event_time", OffsetDateTime.ofInstant(Instant.now(), ZoneOffset.UTC));
        final org.apache.iceberg.PartitionKey partition = partitionOf(ledger, row);
        final OutputFile file = ledger.io()
                .newOutputFile(ledger.locationProvider()
                        .newDataLocation(ledger.spec(), partition, UUID.randomUUID() + ".parquet"));
        final DataWriter<Record> writer = Parquet.writeData(file)
                .forTable(ledger)
                .withSpec(ledger.spec())
                .withPartition(partition)
                .createWriterFunc(GenericParquetWriter::create)
                .overwrite()
                .build();
        try (writer) {
            writer.write(row);
        }
        final DataFile dataFile = writer.toDataFile();
        ledger.newAppend().appendFile(dataFile).commit();
    }

    private static org.apache.iceberg.PartitionKey partitionOf(final Table table, final Record row) {
        final org.apache.iceberg.PartitionKey key = new org.apache.iceberg.PartitionKey(table.spec(), table.schema());
        key.partition(
                new org.apache.iceberg.data.InternalRecordWrapper(table.schema().asStruct()).wrap(row));
        return key;
    }

    private static KafkaProducer<String, String> producer() {
        final Properties config = new Properties();
        config.putAll(Lakehouse.kafka());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static long promotionsEndOffset() throws Exception {
        try (Admin admin = Admin.create(Lakehouse.kafka())) {
            final TopicPartition partition = new TopicPartition("promotions", 0);
            return admin.listOffsets(java.util.Map.of(partition, OffsetSpec.latest()))
                    .all()
                    .get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS)
                    .get(partition)
                    .offset();
        }
    }
}
