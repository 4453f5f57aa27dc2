package io.loyaltylakehouse.dbt.jinja;

import java.util.List;
import java.util.Map;

/**
 * What dbt's context functions do for the node being rendered. The parse-time scope records refs, sources and
 * {@code config()} calls; the run-time scope resolves relations and asks the warehouse for {@code is_incremental()}.
 */
public interface RenderScope {

    /** {@code ref('m')} or {@code ref('pkg', 'm')}: returns the relation (or ephemeral CTE name) to render. */
    Object ref(List<String> args);

    /** {@code source('src', 'table')}. */
    Object source(String sourceName, String tableName);

    /** {@code config(k=v, ...)} inside the template. */
    void config(Map<String, Object> values);

    /** {@code var('x')}/{@code var('x', default)}; a missing var without default is an error. */
    Object var(String name, Object fallback, boolean hasFallback);

    /** {@code env_var('X')}/{@code env_var('X', default)}. */
    String envVar(String name, String fallback, boolean hasFallback);

    boolean isIncremental();

    /** dbt's {@code execute}: false while parsing. */
    boolean executing();
}
