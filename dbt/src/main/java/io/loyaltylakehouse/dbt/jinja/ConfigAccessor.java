package io.loyaltylakehouse.dbt.jinja;

import io.loyaltylakehouse.dbt.project.DbtException;
import java.util.Map;

/** The {@code config} variable: {@code config.get('k', default)} and {@code config.require('k')} over a node's config. */
public final class ConfigAccessor {
    private final String node;
    private final Map<String, Object> values;

    public ConfigAccessor(final String node, final Map<String, Object> values) {
        this.node = node;
        this.values = values;
    }

    public Object get(final String key) {
        return values.get(key);
    }

    public Object get(final String key, final Object fallback) {
        final Object value = values.get(key);
        return value == null ? fallback : value;
    }

    public Object require(final String key) {
        final Object value = values.get(key);
        if (value == null) {
            throw new DbtException("Required config '" + key + "' not set on " + node);
        }
        return value;
    }
}
