package io.loyaltylakehouse.dbt.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.dbt.Fixtures;
import io.loyaltylakehouse.dbt.jinja.DbtJinja;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing: config precedence, schema naming, vars, generic test names and the errors for what is unsupported. */
class ProjectParserTest {
    @TempDir
    Path project;

    @BeforeEach
    void setUp() {
        Fixtures.write(project, "dbt_project.yml", """
                name: p
                config-version: 2
                profile: p
                vars:
                  min_points: 10
                models:
                  p:
                    +materialized: table
                    staging:
                      +materialized: view
                      +schema: stg
                      +tags: [daily]
                """);
        Fixtures.write(project, "profiles.yml", """
                p:
                  target: dev
                  outputs:
                    dev:
                      type: trino
                      method: none
                      host: "{{ env_var('HOST', 'localhost') }}"
                      port: 8080
                      user: dbt
                      catalog: iceberg
                      schema: analytics
                      timezone: UTC
                """);
    }

    private Manifest parse(final Map<String, Object> cliVars) {
        final DbtJinja jinja = new DbtJinja();
        final Map<String, String> env = Map.of("HOST", "trino.example", "REGION", "eu");
        final Target target = ProfileLoader.load(project.resolve("profiles.yml"), "p", Optional.empty(), env, jinja);
        return ProjectParser.parse(DbtProject.load(project), target,
                new Flags(cliVars, env, false, "build", "inv", Instant.EPOCH), jinja);
    }

    private Manifest parse() {
        return parse(Map.of());
    }

    @Test
    void profileRendersEnvVarsAndAcceptsCatalogAsDatabase() {
        final Target target = parse().target();
        assertThat(target.host()).isEqualTo("trino.example");
        assertThat(target.database()).isEqualTo("iceberg");
        assertThat(target.timezone()).isEqualTo("UTC");
    }

    @Test
    void configPrecedenceIsFileThenPropertiesThenProject() {
        Fixtures.write(project, "models/staging/stg_a.sql", "select 1 as id");
        Fixtures.write(project, "models/staging/stg_b.sql", "{{ config(materialized='table', tags=['hourly']) }} select 1 as id");
        Fixtures.write(project, "models/staging/props.yml", """
                models:
                  - name: stg_a
                    config:
                      materialized: ephemeral
                  - name: stg_b
                    config:
                      materialized: incremental
                """);
        final Manifest manifest = parse();
        assertThat(manifest.node("model.p.stg_a").materialized()).isEqualTo("ephemeral");
        assertThat(manifest.node("model.p.stg_b").materialized()).isEqualTo("table");
        assertThat(manifest.node("model.p.stg_b").tags()).containsExactly("daily", "hourly");
        assertThat(manifest.node("model.p.stg_b").schema()).isEqualTo("analytics_stg");
        assertThat(manifest.node("model.p.stg_b").fqn()).containsExactly("p", "staging", "stg_b");
    }

    @Test
    void projectGenerateSchemaNameIsHonoured() {
        Fixtures.write(project, "macros/generate_schema_name.sql", """
                {% macro generate_schema_name(custom_schema_name, node) -%}
                    {{ target.schema }}
                {%- endmacro %}
                """);
        Fixtures.write(project, "models/staging/stg_a.sql", "select 1 as id");
        assertThat(parse().node("model.p.stg_a").schema()).isEqualTo("analytics");
    }

    @Test
    void varsComeFromTheCommandLineThenTheProject() {
        Fixtures.write(project, "models/m.sql", "select {{ var('min_points') }} as a, '{{ env_var('REGION') }}' as r");
        final Manifest manifest = parse(Map.of("min_points", 99));
        assertThat(manifest.node("model.p.m").config()).containsEntry("materialized", "table");
        Fixtures.write(project, "models/n.sql", "select {{ var('missing') }}");
        assertThatThrownBy(this::parse).hasMessageContaining("models/n.sql").hasMessageContaining("Required var 'missing'");
    }

    @Test
    void genericTestsAreNamedLikeDbt() {
        Fixtures.write(project, "models/orders.sql", "select 1 as id, 'placed' as status, 1 as customer_id");
        Fixtures.write(project, "models/customers.sql", "select 1 as id");
        Fixtures.write(project, "models/schema.yml", """
                models:
                  - name: orders
                    columns:
                      - name: status
                        data_tests:
                          - accepted_values:
                              values: ['placed', 'shipped']
                              config:
                                severity: warn
                      - name: customer_id
                        data_tests:
                          - relationships:
                              arguments:
                                to: ref('customers')
                                field: id
                """);
        final Manifest manifest = parse();
        final List<String> names = manifest.all().stream().filter(n -> n.type() == ResourceType.TEST).map(Node::name).toList();
        assertThat(names).containsExactlyInAnyOrder("accepted_values_orders_status__placed__shipped",
                "relationships_orders_customer_id__id__ref_customers_");
        final Node relationships = manifest.all().stream().filter(n -> n.name().startsWith("relationships")).findFirst().orElseThrow();
        assertThat(relationships.dependsOn()).containsExactlyInAnyOrder("model.p.orders", "model.p.customers");
        final Node accepted = manifest.all().stream().filter(n -> n.name().startsWith("accepted")).findFirst().orElseThrow();
        assertThat(accepted.config()).containsEntry("severity", "warn");
        assertThat(GenericTests.alias("accepted_values", "orders_with_a_long_model_name", "x".repeat(64))).hasSize(30 + 1 + 32);
    }

    @Test
    void unsupportedThingsNameFileAndLine() {
        Fixtures.write(project, "models/mv.sql", "\n\n{{ config(materialized='materialized_view') }}\nselect 1");
        assertThatThrownBy(this::parse).hasMessageStartingWith("models/mv.sql:3: materialization 'materialized_view'");

        Fixtures.write(project, "models/mv.sql", "select 1");
        Fixtures.write(project, "models/py_model.py", "def model(dbt, session): pass");
        assertThatThrownBy(this::parse).hasMessageStartingWith("models/py_model.py:1: Python models are not supported");
    }

    @Test
    void packageTestsAndMissingRefsAreErrors() {
        Fixtures.write(project, "models/a.sql", "select * from {{ ref('nope') }}");
        assertThatThrownBy(this::parse).hasMessageStartingWith("models/a.sql:1: model 'a' depends on a node named 'nope'");

        Fixtures.write(project, "models/a.sql", "select 1 as id");
        Fixtures.write(project, "models/schema.yml", """
                models:
                  - name: a
                    columns:
                      - name: id
                        data_tests:
                          - dbt_utils.expression_is_true:
                              expression: "id > 0"
                """);
        assertThatThrownBy(this::parse).hasMessageStartingWith("models/schema.yml:6: test 'dbt_utils.expression_is_true'");
    }

    @Test
    void customMaterializationsAreRejectedWithTheirLine() {
        Fixtures.write(project, "macros/m.sql", "{% macro x() %}{% endmacro %}\n{% materialization custom, default %}{% endmaterialization %}");
        assertThatThrownBy(this::parse).hasMessageStartingWith("macros/m.sql:2: {% materialization %} blocks are not supported");
    }

    @Test
    void snapshotsNeedTheirStrategyConfig() {
        Fixtures.write(project, "snapshots/s.sql", "\n{% snapshot s %}\n{{ config(unique_key='id', strategy='timestamp') }}\n"
                + "select 1 as id\n{% endsnapshot %}");
        assertThatThrownBy(this::parse).hasMessageStartingWith("snapshots/s.sql:2: snapshot s: the timestamp strategy needs updated_at");
    }
}
