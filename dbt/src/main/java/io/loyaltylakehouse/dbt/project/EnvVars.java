package io.loyaltylakehouse.dbt.project;

import java.util.Map;

/** dbt's {@code env_var()}: always a string; an unset variable without default is an error. */
public final class EnvVars {
    private EnvVars() {
    }

    public static String lookup(final Map<String, String> env, final String name, final String fallback,
                                final boolean hasFallback) {
        final String value = env.get(name);
        if (value != null) {
            return value;
        }
        if (hasFallback) {
            return fallback;
        }
        throw new DbtException("Env var required but not provided: '" + name + "'");
    }
}
