package io.loyaltylakehouse.dbt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyaltylakehouse.dbt.Fixtures;
import io.loyaltylakehouse.dbt.exec.CommandRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The independent shop project (seeds, staging, ephemeral, marts, tests, a YAML snapshot) built unchanged, twice. */
class ShopProjectIT {
    @TempDir
    Path dir;
    TrinoSchema schema;

    @BeforeEach
    void setUp() throws Exception {
        schema = TrinoSchema.create("shop");
    }

    @AfterEach
    void tearDown() throws Exception {
        schema.close();
    }

    @Test
    void buildsUnchangedAndRebuilds() throws Exception {
        final Path project = Fixtures.project("shop", dir);

        final CommandRunner.Outcome first = schema.dbt(project, "build");
        assertThat(first.exitCode()).isZero();
        assertThat(first.results()).hasSize(25).allSatisfy(r -> assertThat(r.status()).isIn("success", "pass"));
        assertThat(schema.rows("select cast(customer_id as varchar), cast(number_of_orders as varchar),"
                + " cast(customer_lifetime_value as varchar) from iceberg." + schema.name() + ".customers order by customer_id"))
                .containsExactly(List.of("1", "2", "38.00"), List.of("2", "1", "16.00"), List.of("3", "2", "43.00"),
                        List.of("4", "1", "1.00"), List.of("5", "1", "17.00"), List.of("6", "1", "6.00"));

        schema.execute("update iceberg." + schema.name() + ".raw_orders set status = 'completed' where id = 6");
        final CommandRunner.Outcome second = schema.dbt(project, "build", "--exclude", "resource_type:seed");
        assertThat(second.exitCode()).isZero();
        assertThat(schema.rows("select status, cast(dbt_valid_to is null as varchar) from iceberg." + schema.name()
                + ".orders_snapshot where order_id = 6 order by dbt_valid_from"))
                .containsExactly(List.of("placed", "false"), List.of("completed", "true"));
    }
}
