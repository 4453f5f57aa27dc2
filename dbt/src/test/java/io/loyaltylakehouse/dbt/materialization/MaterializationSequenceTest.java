package io.loyaltylakehouse.dbt.materialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.dbt.RecordingAdapter;
import io.loyaltylakehouse.dbt.adapter.Column;
import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statements each materialization sends, compared with dbt-trino's sequences (DBT-FACTS section 3 and 4). */
class MaterializationSequenceTest {
    private static final Relation T = Relation.of("c", "s", "t");
    private static final String RT = "\"c\".\"s\".\"t\"";
    private static final String TMP = "\"c\".\"s\".\"t__dbt_tmp\"";
    private static final String BACKUP = "\"c\".\"s\".\"t__dbt_backup\"";

    private static ModelJob job(final Map<String, Object> config, final boolean fullRefresh) {
        return new ModelJob("model.p.t", T, "select 1 as id, 'a' as v", config, fullRefresh, List.of(), List.of());
    }

    private static List<String> normalized(final RecordingAdapter adapter) {
        return adapter.statements().stream().map(MaterializationSequenceTest::normalize).toList();
    }

    static String normalize(final String sql) {
        return sql.replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")").trim();
    }

    @Test
    void viewIsCreatedOrReplacedWithDefinerSecurity() {
        final RecordingAdapter adapter = new RecordingAdapter();
        ViewMaterialization.run(new Warehouse(adapter), job(Map.of(), false));
        assertThat(normalized(adapter)).containsExactly(
                "create or replace view " + RT + " security definer as select 1 as id, 'a' as v");
    }

    @Test
    void viewReplacingATableDropsTheTableFirst() {
        final RecordingAdapter adapter = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE);
        ViewMaterialization.run(new Warehouse(adapter), job(Map.of("view_security", "invoker"), false));
        assertThat(normalized(adapter)).containsExactly(
                "drop table if exists " + RT,
                "create or replace view " + RT + " security invoker as select 1 as id, 'a' as v");
    }

    @Test
    void newTableIsOneCreateTableAs() {
        final RecordingAdapter adapter = new RecordingAdapter();
        TableMaterialization.run(new Warehouse(adapter), job(Map.of("properties",
                Map.of("format", "'PARQUET'")), false), "");
        assertThat(normalized(adapter)).containsExactly(
                "create table " + RT + " WITH (format = 'PARQUET') as (select 1 as id, 'a' as v)");
    }

    @Test
    void existingTableIsSwappedThroughTmpAndBackupByDefault() {
        final RecordingAdapter adapter = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE)
                .withRelation(TMP, Relation.Type.TABLE);
        TableMaterialization.run(new Warehouse(adapter), job(Map.of(), false), "");
        assertThat(normalized(adapter)).containsExactly(
                "drop table if exists " + TMP,
                "create table " + TMP + " as (select 1 as id, 'a' as v)",
                "alter table " + RT + " rename to " + BACKUP,
                "alter table " + TMP + " rename to " + RT,
                "drop table if exists " + BACKUP);
    }

    @Test
    void existingViewIsRenamedAsAView() {
        final RecordingAdapter adapter = new RecordingAdapter().withRelation(RT, Relation.Type.VIEW);
        TableMaterialization.run(new Warehouse(adapter), job(Map.of(), false), "");
        assertThat(normalized(adapter)).containsExactly(
                "create table " + TMP + " as (select 1 as id, 'a' as v)",
                "alter view " + RT + " rename to " + BACKUP,
                "alter table " + TMP + " rename to " + RT,
                "drop view if exists " + BACKUP);
    }

    @Test
    void onTableExistsReplaceAndDrop() {
        final RecordingAdapter replace = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE);
        TableMaterialization.run(new Warehouse(replace), job(Map.of("on_table_exists", "replace"), false), "");
        assertThat(normalized(replace)).containsExactly("create or replace table " + RT + " as (select 1 as id, 'a' as v)");

        final RecordingAdapter drop = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE);
        TableMaterialization.run(new Warehouse(drop), job(Map.of("on_table_exists", "drop"), false), "");
        assertThat(normalized(drop)).containsExactly("drop table if exists " + RT,
                "create table " + RT + " as (select 1 as id, 'a' as v)");
    }

    @Test
    void persistDocsPutsTheDescriptionInTheCreateStatement() {
        final RecordingAdapter adapter = new RecordingAdapter();
        TableMaterialization.run(new Warehouse(adapter), job(Map.of("persist_docs", Map.of("relation", true)), false),
                "Balances' table");
        assertThat(normalized(adapter)).containsExactly(
                "create table " + RT + " comment 'Balances'' table' as (select 1 as id, 'a' as v)");
    }

    @Test
    void incrementalFirstRunIsCreateTableAs() {
        final RecordingAdapter adapter = new RecordingAdapter();
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("unique_key", "id",
                "incremental_strategy", "merge"), false), "");
        assertThat(normalized(adapter)).containsExactly(
                "create table " + RT + " as (select 1 as id, 'a' as v)",
                "drop view if exists " + TMP);
    }

    @Test
    void incrementalMergeMatchesDbtTrino() {
        final RecordingAdapter adapter = new RecordingAdapter()
                .withRelation(RT, Relation.Type.TABLE, new Column("id", "integer"), new Column("v", "varchar"));
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("unique_key", "id",
                "incremental_strategy", "merge"), false), "");
        assertThat(normalized(adapter)).containsExactly(
                "create or replace view " + TMP + " security definer as select 1 as id, 'a' as v",
                normalize("merge into \"c\".\"s\".\"t\" as DBT_INTERNAL_DEST using \"c\".\"s\".\"t__dbt_tmp\" as DBT_INTERNAL_SOURCE\n"
                        + "  on (DBT_INTERNAL_SOURCE.id = DBT_INTERNAL_DEST.id)\n"
                        + "  when matched then update set \"id\" = DBT_INTERNAL_SOURCE.\"id\", \"v\" = DBT_INTERNAL_SOURCE.\"v\"\n"
                        + "  when not matched then insert (\"id\", \"v\") values (DBT_INTERNAL_SOURCE.\"id\", DBT_INTERNAL_SOURCE.\"v\")"),
                "drop view if exists " + TMP);
    }

    @Test
    void mergeWithListKeyAndExcludedColumns() {
        final RecordingAdapter adapter = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE,
                new Column("k1", "integer"), new Column("k2", "integer"), new Column("v", "varchar"));
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("unique_key", List.of("k1", "k2"),
                "incremental_strategy", "merge", "merge_exclude_columns", List.of("k1", "k2")), false), "");
        assertThat(normalized(adapter).get(1)).contains(
                "on (DBT_INTERNAL_SOURCE.k1 = DBT_INTERNAL_DEST.k1) and (DBT_INTERNAL_SOURCE.k2 = DBT_INTERNAL_DEST.k2)",
                "when matched then update set \"v\" = DBT_INTERNAL_SOURCE.\"v\" when not matched");
    }

    @Test
    void deleteInsertBuildsATmpTable() {
        final RecordingAdapter adapter = new RecordingAdapter()
                .withRelation(RT, Relation.Type.TABLE, new Column("id", "integer"), new Column("v", "varchar"));
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("unique_key", "id",
                "incremental_strategy", "delete+insert"), false), "");
        assertThat(normalized(adapter)).containsExactly(
                "create table " + TMP + " as (select 1 as id, 'a' as v)",
                "delete from " + RT + " where (id) in (select id from " + TMP + ")",
                "insert into " + RT + " (\"id\", \"v\") (select \"id\", \"v\" from " + TMP + ")",
                "drop table if exists " + TMP);
    }

    @Test
    void deleteInsertWithListKeyUsesExists() {
        final RecordingAdapter adapter = new RecordingAdapter()
                .withRelation(RT, Relation.Type.TABLE, new Column("k1", "integer"), new Column("k2", "integer"));
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("unique_key", List.of("k1", "k2"),
                "incremental_strategy", "delete+insert"), false), "");
        assertThat(normalized(adapter).get(1)).isEqualTo("delete from " + RT + " where exists (select 1 from " + TMP
                + " where " + RT + ".k1 = " + TMP + ".k1 and " + RT + ".k2 = " + TMP + ".k2)");
    }

    @Test
    void appendNewColumnsAltersTheTargetAndInsertsTheModelColumns() {
        final RecordingAdapter adapter = new RecordingAdapter()
                .withRelation(RT, Relation.Type.TABLE, new Column("id", "integer"))
                .withColumns(TMP, new Column("id", "integer"), new Column("v", "varchar"));
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("on_schema_change", "append_new_columns"), false), "");
        assertThat(normalized(adapter)).containsExactly(
                "create or replace view " + TMP + " security definer as select 1 as id, 'a' as v",
                "alter table " + RT + " add column \"v\" varchar",
                "insert into " + RT + " (\"id\", \"v\") (select \"id\", \"v\" from " + TMP + ")",
                "drop view if exists " + TMP);
    }

    @Test
    void onSchemaChangeFailStopsBeforeWriting() {
        final RecordingAdapter adapter = new RecordingAdapter()
                .withRelation(RT, Relation.Type.TABLE, new Column("id", "integer"))
                .withColumns(TMP, new Column("id", "integer"), new Column("v", "varchar"));
        assertThatThrownBy(() -> IncrementalMaterialization.run(new Warehouse(adapter),
                job(Map.of("on_schema_change", "fail"), false), ""))
                .hasMessageContaining("out of sync").hasMessageContaining("added: [v]");
    }

    @Test
    void fullRefreshUsesTheTableLogic() {
        final RecordingAdapter adapter = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE);
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("unique_key", "id",
                "incremental_strategy", "merge"), true), "");
        assertThat(normalized(adapter)).containsExactly(
                "create table " + TMP + " as (select 1 as id, 'a' as v)",
                "alter table " + RT + " rename to " + BACKUP,
                "alter table " + TMP + " rename to " + RT,
                "drop table if exists " + BACKUP,
                "drop view if exists " + TMP);
    }

    @Test
    void snapshotFirstRunAddsTheScdColumns() {
        final RecordingAdapter adapter = new RecordingAdapter();
        final Map<String, Object> config = new HashMap<>(Map.of("strategy", "timestamp", "unique_key", "id",
                "updated_at", "updated_at", "hard_deletes", "invalidate"));
        SnapshotMaterialization.run(new Warehouse(adapter), new ModelJob("snapshot.p.t", T, "select * from src", config,
                false, List.of(), List.of()), "current_timestamp");
        final String scd = "lower(to_hex(md5(to_utf8(concat(coalesce(cast(id as varchar), ''), '|',"
                + "coalesce(cast(updated_at as varchar), '')))))) as dbt_scd_id";
        assertThat(normalized(adapter)).containsExactly(normalize("create table " + RT + " as ( select *, " + scd
                + ", updated_at as dbt_updated_at, updated_at as dbt_valid_from,"
                + " coalesce(nullif(updated_at, updated_at), null) as dbt_valid_to from ( select * from src ) sbq )"));
    }

    @Test
    void snapshotLaterRunStagesMergesAndDrops() {
        final Column[] target = {new Column("id", "integer"), new Column("name", "varchar"),
            new Column("updated_at", "timestamp(6)"), new Column("dbt_scd_id", "varchar"),
            new Column("dbt_updated_at", "timestamp(6)"), new Column("dbt_valid_from", "timestamp(6)"),
            new Column("dbt_valid_to", "timestamp(6)")};
        final RecordingAdapter adapter = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE, target)
                .withColumns(TMP, new Column("dbt_change_type", "varchar"), new Column("id", "integer"),
                        new Column("name", "varchar"), new Column("updated_at", "timestamp(6)"),
                        new Column("dbt_unique_key", "integer"), new Column("dbt_updated_at", "timestamp(6)"),
                        new Column("dbt_valid_from", "timestamp(6)"), new Column("dbt_valid_to", "timestamp(6)"),
                        new Column("dbt_scd_id", "varchar"));
        final Map<String, Object> config = Map.of("strategy", "timestamp", "unique_key", "id",
                "updated_at", "updated_at", "hard_deletes", "invalidate");
        SnapshotMaterialization.run(new Warehouse(adapter), new ModelJob("snapshot.p.t", T, "select * from src", config,
                false, List.of(), List.of()), "current_timestamp");
        final List<String> statements = normalized(adapter);
        assertThat(statements).hasSize(3);
        assertThat(statements.get(0)).startsWith("create table " + TMP + " as (with snapshot_query as (")
                .contains("snapshotted_data as (select *, id as dbt_unique_key from " + RT + " where dbt_valid_to is null)")
                .contains("(snapshotted_data.dbt_valid_from < source_data.updated_at)")
                .contains("current_timestamp as dbt_valid_to")
                .endsWith("select * from insertions union all select * from updates union all select * from deletes)");
        assertThat(statements.get(1)).isEqualTo(normalize("merge into " + RT + " as DBT_INTERNAL_DEST using " + TMP
                + " as DBT_INTERNAL_SOURCE on DBT_INTERNAL_SOURCE.dbt_scd_id = DBT_INTERNAL_DEST.dbt_scd_id"
                + " when matched and DBT_INTERNAL_DEST.dbt_valid_to is null"
                + " and DBT_INTERNAL_SOURCE.dbt_change_type in ('update', 'delete')"
                + " then update set dbt_valid_to = DBT_INTERNAL_SOURCE.dbt_valid_to"
                + " when not matched and DBT_INTERNAL_SOURCE.dbt_change_type = 'insert'"
                + " then insert (\"id\", \"name\", \"updated_at\", \"dbt_updated_at\", \"dbt_valid_from\", \"dbt_valid_to\", \"dbt_scd_id\")"
                + " values (DBT_INTERNAL_SOURCE.\"id\", DBT_INTERNAL_SOURCE.\"name\", DBT_INTERNAL_SOURCE.\"updated_at\","
                + " DBT_INTERNAL_SOURCE.\"dbt_updated_at\", DBT_INTERNAL_SOURCE.\"dbt_valid_from\","
                + " DBT_INTERNAL_SOURCE.\"dbt_valid_to\", DBT_INTERNAL_SOURCE.\"dbt_scd_id\")"));
        assertThat(statements.get(2)).isEqualTo("drop table " + TMP);
    }

    @Test
    void checkStrategyComparesColumnsNullSafelyAndUsesTheRunTime() {
        final RecordingAdapter adapter = new RecordingAdapter();
        final Map<String, Object> config = Map.of("strategy", "check", "unique_key", "id", "check_cols", List.of("balance"),
                "hard_deletes", "new_record");
        final ModelJob snapshot = new ModelJob("snapshot.p.t", T, "select * from src", config, false, List.of(), List.of());
        final SnapshotMaterialization.Names names = SnapshotMaterialization.Names.of(snapshot);
        final SnapshotMaterialization.Strategy strategy = SnapshotMaterialization.strategy(new Warehouse(adapter), snapshot,
                names, true, "current_timestamp");
        assertThat(strategy.updatedAt()).isEqualTo("current_timestamp");
        assertThat(normalize(strategy.rowChanged())).isEqualTo(normalize("(snapshotted_data.balance != source_data.balance or"
                + " ( ((snapshotted_data.balance is null) and not (source_data.balance is null)) or"
                + " ((not snapshotted_data.balance is null) and (source_data.balance is null)) ))"));
        final String staging = normalize(SnapshotMaterialization.stagingTable(snapshot, strategy, names, "current_timestamp",
                List.of("id", "balance"), List.of("id", "balance", "dbt_is_deleted")));
        assertThat(staging).contains("deletion_records as (", "'True' as dbt_is_deleted",
                "snapshotted_data.\"id\", snapshotted_data.\"balance\",",
                "union all select * from deletion_records");
    }

    @Test
    void seedDropsCreatesAndInsertsWithTypedColumns() {
        final RecordingAdapter adapter = new RecordingAdapter().withRelation(RT, Relation.Type.TABLE);
        final SeedMaterialization.Csv csv = SeedMaterialization.parse("id,name,joined,score,vip\n1,Ann,2024-01-01,1.5,true\n2,,2024-02-01,2,false\n");
        SeedMaterialization.run(new Warehouse(adapter), job(Map.of("column_types", Map.of("id", "bigint")), false), csv);
        assertThat(normalized(adapter)).containsExactly(
                "drop table if exists " + RT,
                "create table " + RT + " (\"id\" bigint, \"name\" VARCHAR, \"joined\" DATE, \"score\" DOUBLE, \"vip\" boolean)",
                "insert into " + RT + " (\"id\", \"name\", \"joined\", \"score\", \"vip\") values (bigint '1',?,DATE '2024-01-01',?,?),"
                        + " (bigint '2',?,DATE '2024-02-01',?,?)");
    }

    @Test
    void syncAllColumnsAddsDropsAndRetypes() {
        final RecordingAdapter adapter = new RecordingAdapter()
                .withRelation(RT, Relation.Type.TABLE, new Column("id", "integer"), new Column("old", "varchar"))
                .withColumns(TMP, new Column("id", "bigint"), new Column("v", "varchar"));
        IncrementalMaterialization.run(new Warehouse(adapter), job(Map.of("on_schema_change", "sync_all_columns"), false), "");
        assertThat(normalized(adapter).subList(1, 7)).containsExactly(
                "alter table " + RT + " add column \"v\" varchar",
                "alter table " + RT + " drop column \"old\"",
                "alter table " + RT + " add column \"id__dbt_alter\" bigint",
                "update " + RT + " set \"id__dbt_alter\" = cast(\"id\" as bigint)",
                "alter table " + RT + " drop column \"id\"",
                "alter table " + RT + " rename column \"id__dbt_alter\" to \"id\"");
    }

    @Test
    void validToCurrentReplacesNullForCurrentRows() {
        final Map<String, Object> config = Map.of("strategy", "timestamp", "unique_key", "id", "updated_at", "updated_at",
                "dbt_valid_to_current", "timestamp '9999-12-31'");
        final ModelJob snapshot = new ModelJob("snapshot.p.t", T, "select * from src", config, false, List.of(), List.of());
        final SnapshotMaterialization.Names names = SnapshotMaterialization.Names.of(snapshot);
        final SnapshotMaterialization.Strategy strategy = SnapshotMaterialization.strategy(new Warehouse(new RecordingAdapter()),
                snapshot, names, true, "current_timestamp");
        assertThat(normalize(SnapshotMaterialization.buildSnapshotTable(snapshot, strategy, names)))
                .contains("coalesce(nullif(updated_at, updated_at), timestamp '9999-12-31') as dbt_valid_to");
        assertThat(normalize(SnapshotMaterialization.stagingTable(snapshot, strategy, names, "current_timestamp",
                List.of(), List.of()))).contains("where (dbt_valid_to = timestamp '9999-12-31' or dbt_valid_to is null)");
        assertThat(normalize(SnapshotMaterialization.merge(T, T.withSuffix("__dbt_tmp"), List.of(new Column("id", "integer")),
                names, "timestamp '9999-12-31'"))).contains(
                "when matched and (DBT_INTERNAL_DEST.dbt_valid_to = timestamp '9999-12-31' or DBT_INTERNAL_DEST.dbt_valid_to is null)");
    }

    @Test
    void seedFullRefreshReportsCreate() {
        final SeedMaterialization.Csv csv = SeedMaterialization.parse("a,b\n\"x,1\",\n");
        assertThat(csv.rows()).containsExactly(java.util.Arrays.asList("x,1", null));
        assertThat(SeedMaterialization.run(new Warehouse(new RecordingAdapter()), job(Map.of(), true), csv).message())
                .isEqualTo("CREATE 1");
    }
}
