package io.loyaltylakehouse.dbt.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompilerTest {
    @Test
    void ephemeralCtesGoAfterTheModelsOwnWithOrStartANewOne() {
        final Map<String, String> ctes = new LinkedHashMap<>();
        ctes.put("a", "select 1 as x");
        ctes.put("b", "select * from __dbt__cte__a");
        assertThat(Compiler.injectCtes("-- note\nwith t as (select 1) select * from t", ctes)).isEqualTo(
                "-- note\nwith __dbt__cte__a as (\nselect 1 as x\n), __dbt__cte__b as (\nselect * from __dbt__cte__a\n),"
                        + " t as (select 1) select * from t");
        assertThat(Compiler.injectCtes("select * from __dbt__cte__b", ctes)).isEqualTo(
                "with __dbt__cte__a as (\nselect 1 as x\n), __dbt__cte__b as (\nselect * from __dbt__cte__a\n)\n"
                        + "select * from __dbt__cte__b");
        assertThat(Compiler.injectCtes("select 1", Map.of())).isEqualTo("select 1");
    }
}
