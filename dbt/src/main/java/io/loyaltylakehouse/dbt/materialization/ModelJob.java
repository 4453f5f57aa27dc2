package io.loyaltylakehouse.dbt.materialization;

import io.loyaltylakehouse.dbt.adapter.Relation;
import io.loyaltylakehouse.dbt.project.Yamls;
import java.util.List;
import java.util.Map;

/**
 * One node ready to materialize: its relation ({@code this}), compiled SQL, resolved config, whether this is a
 * full refresh, and its rendered hooks.
 */
public record ModelJob(String uniqueId, Relation target, String sql, Map<String, Object> config, boolean fullRefresh,
                       List<String> preHooks, List<String> postHooks) {

    public ModelJob {
        config = Map.copyOf(config.entrySet().stream().filter(e -> e.getValue() != null)
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        preHooks = List.copyOf(preHooks);
        postHooks = List.copyOf(postHooks);
    }

    public String string(final String key, final String fallback) {
        final Object value = config.get(key);
        return value == null ? fallback : String.valueOf(value);
    }

    public boolean flag(final String key, final boolean fallback) {
        final Object value = config.get(key);
        return value == null ? fallback : Boolean.parseBoolean(String.valueOf(value));
    }

    /** A config that may be a string or a list of strings (unique_key, check_cols); empty when unset. */
    public List<String> strings(final String key) {
        return Yamls.strings(config.get(key));
    }

    public boolean isList(final String key) {
        return config.get(key) instanceof List<?>;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(final String key) {
        final Object value = config.get(key);
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    /** {@code comment '…'} for {@code persist_docs: {relation: true}}; null otherwise. */
    public String relationComment(final String description) {
        final Object persist = map("persist_docs").get("relation");
        return persist != null && Boolean.parseBoolean(String.valueOf(persist)) && description != null
                && !description.isBlank() ? description : null;
    }

    void runHooks(final Warehouse warehouse, final List<String> hooks) {
        hooks.forEach(hook -> io.loyaltylakehouse.dbt.adapter.StatementSplitter.split(hook).forEach(warehouse::run));
    }
}
