package io.loyaltylakehouse.dbt.adapter;

import java.util.Objects;

/** A column as Trino's information_schema reports it ({@code data_type} like {@code timestamp(6) with time zone}). */
public record Column(String name, String dataType) {
    public Column {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(dataType, "dataType is null");
    }

    /** The name double-quoted, as dbt's {@code adapter.quote}. */
    public String quoted() {
        return Relation.quote(name);
    }

    public String getName() {
        return name;
    }

    public String getDataType() {
        return dataType;
    }
}
