package io.loyaltylakehouse.dbt.exec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyaltylakehouse.dbt.Fixtures;
import io.loyaltylakehouse.dbt.RecordingAdapter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole commands over the shop fixture project with the recording fake warehouse. */
class CommandRunnerTest {
    @TempDir
    Path dir;
    Path project;
    RecordingAdapter adapter;

    @BeforeEach
    void setUp() {
        project = Fixtures.project("shop", dir);
        adapter = new RecordingAdapter().withSchema("iceberg", "shop");
    }

    private CommandRunner.Outcome run(final String... args) {
        final String[] full = new String[args.length + 4];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--project-dir";
        full[args.length + 1] = project.toString();
        full[args.length + 2] = "--profiles-dir";
        full[args.length + 3] = project.toString();
        return new CommandRunner(target -> adapter, Map.of("DBT_SCHEMA", "shop")).run(Invocation.parse(full));
    }

    private static String read(final Path file) {
        try {
            return java.nio.file.Files.readString(file);
        } catch (final IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> ids(final CommandRunner.Outcome outcome) {
        return outcome.results().stream().map(NodeResult::uniqueId).toList();
    }

    @Test
    void buildRunsEveryNodeInDagOrderAndWritesArtifacts() throws IOException {
        final CommandRunner.Outcome outcome = run("build");

        assertThat(outcome.exitCode()).isZero();
        assertThat(outcome.results()).allSatisfy(r -> assertThat(r.status()).isIn("success", "pass"));
        final List<String> order = ids(outcome);
        assertThat(order).hasSize(25).doesNotContain("model.shop.order_payments");
        assertThat(order.subList(0, 3)).containsExactly("seed.shop.raw_customers", "seed.shop.raw_orders",
                "seed.shop.raw_payments");
        // a node's tests run before its children
        assertThat(order.indexOf("test.shop.unique_stg_orders_order_id." + hashOf(order, "unique_stg_orders_order_id")))
                .isLessThan(order.indexOf("model.shop.orders"));
        assertThat(order.indexOf("model.shop.orders")).isLessThan(order.indexOf("model.shop.customers"));

        final JsonNode results = new ObjectMapper().readTree(outcome.targetDir().resolve("run_results.json").toFile());
        assertThat(results.get("results")).hasSize(25);
        final JsonNode first = results.get("results").get(0);
        assertThat(first.get("unique_id").asText()).isEqualTo("seed.shop.raw_customers");
        assertThat(first.get("status").asText()).isEqualTo("success");
        assertThat(first.get("message").asText()).isEqualTo("INSERT 6");
        assertThat(first.get("adapter_response").get("rows_affected").asLong()).isEqualTo(6);
        assertThat(first.get("timing").get(1).get("name").asText()).isEqualTo("execute");
        assertThat(results.get("args").get("which").asText()).isEqualTo("build");
        final JsonNode manifest = new ObjectMapper().readTree(outcome.targetDir().resolve("manifest.json").toFile());
        assertThat(manifest.get("nodes").get("model.shop.orders").get("compiled_code").asText())
                .startsWith("with __dbt__cte__order_payments as (")
                .contains("sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount");
        assertThat(manifest.get("parent_map").get("model.shop.customers")).hasSize(2);
        assertThat(manifest.get("metadata").get("adapter_type").asText()).isEqualTo("trino");
        assertThat(adapter.comments()).contains("/* {\"app\": \"dbt\", \"dbt_version\": \"1.10.0\", \"profile_name\": \"shop\","
                + " \"target_name\": \"dev\", \"node_id\": \"model.shop.orders\"} */");
    }

    private static String hashOf(final List<String> ids, final String name) {
        return ids.stream().filter(id -> id.startsWith("test.shop." + name + ".")).findFirst().orElseThrow()
                .substring(("test.shop." + name + ".").length());
    }

    @Test
    void failingTestSkipsTheChildrenAndExitsOne() {
        adapter.failing("where order_id is null", 2);

        final CommandRunner.Outcome outcome = run("build");

        assertThat(outcome.exitCode()).isEqualTo(1);
        final Map<String, String> status = new java.util.HashMap<>();
        outcome.results().forEach(r -> status.put(r.uniqueId(), r.status()));
        assertThat(status).containsEntry("model.shop.stg_orders", "success")
                .containsEntry("model.shop.orders", "skipped")
                .containsEntry("model.shop.customers", "skipped")
                .containsEntry("snapshot.shop.orders_snapshot", "skipped")
                .containsEntry("model.shop.stg_customers", "success");
        assertThat(outcome.results().stream().filter(r -> "fail".equals(r.status())).findFirst().orElseThrow().message())
                .isEqualTo("Got 2 results, configured to fail if != 0");
        assertThat(outcome.results()).hasSize(25);
    }

    @Test
    void runSelectsModelsOnlyWithGraphOperators() {
        assertThat(ids(run("run", "--select", "+orders"))).containsExactly("model.shop.stg_orders",
                "model.shop.stg_payments", "model.shop.orders");
        assertThat(ids(run("run", "-s", "tag:staging"))).containsExactly("model.shop.stg_customers",
                "model.shop.stg_orders", "model.shop.stg_payments");
        assertThat(ids(run("run", "--select", "path:models/marts", "--exclude", "customers")))
                .containsExactly("model.shop.orders");
        assertThat(ids(run("run", "--select", "stg_orders+1"))).containsExactly("model.shop.stg_orders",
                "model.shop.orders");
        assertThat(ids(run("seed", "--select", "raw_orders"))).containsExactly("seed.shop.raw_orders");
    }

    @Test
    void testCommandSelectsTestsOfSelectedModels() {
        final List<String> tests = ids(run("test", "--select", "orders"));
        assertThat(tests).hasSize(6).allMatch(id -> id.startsWith("test.shop."));
        assertThat(tests).anyMatch(id -> id.contains("relationships_orders_customer_id__customer_id__ref_customers_"))
                .anyMatch(id -> id.contains("is_positive_orders_amount"))
                .anyMatch(id -> id.contains("assert_order_amounts_add_up"));
    }

    @Test
    void incrementalRunsFirstBuildThenMerge() {
        Fixtures.write(project, "models/marts/order_facts.sql", """
                {{ config(materialized='incremental', unique_key='order_id', incremental_strategy='merge') }}
                select order_id, status from {{ ref('stg_orders') }}
                {% if is_incremental() %} where order_id > (select max(order_id) from {{ this }}) {% endif %}
                """);
        run("run", "--select", "order_facts");
        assertThat(adapter.statements().get(0)).startsWith("create table \"iceberg\".\"shop\".\"order_facts\"")
                .doesNotContain("where order_id >");
        adapter.clear();
        adapter.withColumns("\"iceberg\".\"shop\".\"order_facts\"", new io.loyaltylakehouse.dbt.adapter.Column("order_id", "integer"),
                new io.loyaltylakehouse.dbt.adapter.Column("status", "varchar"));
        run("run", "--select", "order_facts");
        assertThat(adapter.statements().get(0).replaceAll("\\s+", " "))
                .startsWith("create or replace view \"iceberg\".\"shop\".\"order_facts__dbt_tmp\"")
                .contains("where order_id > (select max(order_id) from \"iceberg\".\"shop\".\"order_facts\")");
        assertThat(adapter.statements().get(1)).startsWith("merge into \"iceberg\".\"shop\".\"order_facts\"");
        adapter.clear();
        run("run", "--select", "order_facts", "--full-refresh");
        assertThat(adapter.statements().get(0)).startsWith("create table \"iceberg\".\"shop\".\"order_facts__dbt_tmp\"")
                .doesNotContain("where order_id >");
    }

    @Test
    void missingSchemaIsCreatedFirst() {
        adapter = new RecordingAdapter();
        run("seed", "--select", "raw_orders");
        assertThat(adapter.statements().get(0)).isEqualTo("create schema if not exists \"iceberg\".\"shop\"");
    }

    @Test
    void hooksRunAroundTheirModelAndTheProjectHooksAroundEverything() {
        Fixtures.write(project, "models/marts/audit_me.sql", """
                {{ config(pre_hook="insert into audit values ('start {{ this.identifier }}')",
                          post_hook=["grant select on {{ this }} to role analyst"]) }}
                select 1 as id
                """);
        Fixtures.write(project, "dbt_project.yml", read(project.resolve("dbt_project.yml"))
                + "on-run-start: [\"create table if not exists audit (msg varchar)\"]\n"
                + "on-run-end: \"insert into audit values ('done')\"\n");
        run("run", "--select", "audit_me");
        assertThat(adapter.statements()).containsExactly(
                "create table if not exists audit (msg varchar)",
                "insert into audit values ('start audit_me')",
                "create table \"iceberg\".\"shop\".\"audit_me\"\n  as (\n\nselect 1 as id\n\n  )",
                "grant select on \"iceberg\".\"shop\".\"audit_me\" to role analyst",
                "insert into audit values ('done')");
    }

    @Test
    void warnSeverityWarnsAndWarnErrorTurnsItIntoAFailure() {
        Fixtures.write(project, "tests/warn_only.sql", "{{ config(severity='warn') }} select 1 as broken from {{ ref('orders') }}");
        adapter.failing("select 1 as broken", 3);
        final CommandRunner.Outcome warned = run("test", "--select", "warn_only");
        assertThat(warned.exitCode()).isZero();
        assertThat(warned.results().get(0).status()).isEqualTo("warn");
        assertThat(warned.results().get(0).message()).isEqualTo("Got 3 results, configured to warn if != 0");
        final CommandRunner.Outcome failed = run("test", "--select", "warn_only", "--warn-error");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.results().get(0).status()).isEqualTo("fail");
    }

    @Test
    void storeFailuresWritesTheAuditTableAndCountsFromIt() {
        Fixtures.write(project, "tests/stored.sql", "{{ config(store_failures=true, where='1 = 1') }} select 1 as x");
        run("test", "--select", "stored");
        assertThat(adapter.statements()).contains("create schema if not exists \"iceberg\".\"shop_dbt_test__audit\"");
        assertThat(adapter.statements()).anyMatch(sql -> sql.startsWith(
                "create table \"iceberg\".\"shop_dbt_test__audit\".\"stored\""));
        assertThat(adapter.statements().get(adapter.statements().size() - 1))
                .contains("from \"iceberg\".\"shop_dbt_test__audit\".\"stored\"").contains("dbt_internal_test");
    }
}
