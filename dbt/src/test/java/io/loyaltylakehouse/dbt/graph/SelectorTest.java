package io.loyaltylakehouse.dbt.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyaltylakehouse.dbt.Fixtures;
import io.loyaltylakehouse.dbt.jinja.DbtJinja;
import io.loyaltylakehouse.dbt.project.DbtProject;
import io.loyaltylakehouse.dbt.project.Flags;
import io.loyaltylakehouse.dbt.project.Manifest;
import io.loyaltylakehouse.dbt.project.ProfileLoader;
import io.loyaltylakehouse.dbt.project.ProjectParser;
import io.loyaltylakehouse.dbt.project.ResourceType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Node selection and run order over the shop fixture project. */
class SelectorTest {
    private static final Set<ResourceType> ALL = EnumSet.of(ResourceType.MODEL, ResourceType.SEED, ResourceType.SNAPSHOT,
            ResourceType.TEST);
    private static final Set<ResourceType> MODELS = EnumSet.of(ResourceType.MODEL);

    @TempDir
    Path dir;
    Manifest manifest;
    Graph graph;
    Selector selector;

    @BeforeEach
    void setUp() {
        final Path project = Fixtures.project("shop", dir);
        final DbtJinja jinja = new DbtJinja();
        manifest = ProjectParser.parse(DbtProject.load(project),
                ProfileLoader.load(project.resolve("profiles.yml"), "shop", Optional.empty(), Map.of(), jinja),
                new Flags(Map.of(), Map.of(), false, "build", "i", Instant.EPOCH), jinja);
        graph = new Graph(manifest);
        selector = new Selector(manifest, graph);
    }

    private Set<String> select(final String spec, final Set<ResourceType> types) {
        return selector.select(List.of(spec), List.of(), types);
    }

    @Test
    void graphOperators() {
        assertThat(select("stg_orders+", MODELS)).containsExactly("model.shop.customers", "model.shop.orders",
                "model.shop.stg_orders");
        assertThat(select("1+orders", MODELS)).containsExactly("model.shop.orders", "model.shop.stg_orders");
        assertThat(select("2+orders", ALL)).contains("seed.shop.raw_orders", "model.shop.stg_payments")
                .doesNotContain("seed.shop.raw_payments", "model.shop.customers");
        assertThat(select("@stg_payments", MODELS)).containsExactly("model.shop.customers", "model.shop.orders",
                "model.shop.stg_customers", "model.shop.stg_orders", "model.shop.stg_payments");
    }

    @Test
    void methodsUnionsAndIntersections() {
        assertThat(select("tag:staging,stg_orders", MODELS)).containsExactly("model.shop.stg_orders");
        assertThat(select("shop.staging", MODELS)).hasSize(3);
        assertThat(select("config.materialized:table", MODELS)).containsExactly("model.shop.customers", "model.shop.orders");
        assertThat(select("resource_type:snapshot", ALL)).containsExactly("snapshot.shop.orders_snapshot");
        assertThat(select("stg_* customers", MODELS)).hasSize(4);
        assertThat(select("test_name:relationships", ALL)).hasSize(1);
        assertThat(select("test_type:singular", ALL)).containsExactly("test.shop.assert_order_amounts_add_up");
        assertThat(selector.select(List.of("tag:staging"), List.of("stg_customers"), MODELS)).hasSize(2);
        assertThatThrownBy(() -> select("exposure:x", ALL)).hasMessageContaining("selector method 'exposure'");
    }

    @Test
    void ephemeralModelsAreNeverExecutedButCarryTheGraph() {
        assertThat(select("order_payments+", MODELS)).containsExactly("model.shop.customers", "model.shop.orders");
    }

    @Test
    void buildOrderPutsTestsBeforeTheChildrenOfWhatTheyTest() {
        final Set<String> all = selector.select(List.of(), List.of(), ALL);
        final List<String> order = ExecutionPlan.of(manifest, graph, all, true).order();
        final int stgOrders = order.indexOf("model.shop.stg_orders");
        final int orders = order.indexOf("model.shop.orders");
        order.stream().filter(id -> id.startsWith("test.shop.unique_stg_orders_order_id"))
                .forEach(test -> assertThat(order.indexOf(test)).isBetween(stgOrders, orders));
        assertThat(order.get(0)).isEqualTo("seed.shop.raw_customers");
        final List<String> runOrder = ExecutionPlan.of(manifest, graph, selector.select(List.of(), List.of(), MODELS), false)
                .order();
        assertThat(runOrder).containsExactly("model.shop.stg_customers", "model.shop.stg_orders", "model.shop.stg_payments",
                "model.shop.orders", "model.shop.customers");
    }
}
