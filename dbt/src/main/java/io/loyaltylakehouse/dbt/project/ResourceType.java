package io.loyaltylakehouse.dbt.project;

import java.util.Locale;

/** dbt resource types the runner executes (sources are inputs, never executed). */
public enum ResourceType {
    MODEL, SEED, SNAPSHOT, TEST, UNIT_TEST, SOURCE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
