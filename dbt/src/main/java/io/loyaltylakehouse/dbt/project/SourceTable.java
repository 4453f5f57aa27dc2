package io.loyaltylakehouse.dbt.project;

import io.loyaltylakehouse.dbt.adapter.Relation;
import java.util.List;
import java.util.Map;

/** A table declared under {@code sources:}; rendered without generate_schema_name. */
public record SourceTable(String sourceName, String name, String uniqueId, String database, String schema,
                          String identifier, String description, String originalFilePath,
                          Map<String, Map<String, Object>> columns, List<String> tags) {

    public Relation relation() {
        return Relation.of(database, schema, identifier);
    }
}
