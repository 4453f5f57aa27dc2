package io.loyaltylakehouse.dbt.adapter;

import java.util.Locale;
import java.util.Objects;

/**
 * A table or view in Trino, rendered the way dbt-trino's TrinoRelation renders it: every part double-quoted
 * ({@code "catalog"."schema"."identifier"}). Templates reach the parts as {@code this.schema}, {@code this.identifier}.
 */
public final class Relation {
    /** What a relation is; {@code null} type means "not known yet". */
    public enum Type { TABLE, VIEW }

    private final String database;
    private final String schema;
    private final String identifier;
    private final Type type;

    public Relation(final String database, final String schema, final String identifier, final Type type) {
        this.database = Objects.requireNonNull(database, "database is null");
        this.schema = Objects.requireNonNull(schema, "schema is null");
        this.identifier = Objects.requireNonNull(identifier, "identifier is null");
        this.type = type;
    }

    public static Relation of(final String database, final String schema, final String identifier) {
        return new Relation(database, schema, identifier, null);
    }

    public String getDatabase() {
        return database;
    }

    public String getSchema() {
        return schema;
    }

    public String getIdentifier() {
        return identifier;
    }

    /** dbt exposes the identifier as {@code name} too. */
    public String getName() {
        return identifier;
    }

    public String getTable() {
        return identifier;
    }

    public Type type() {
        return type;
    }

    public boolean isView() {
        return type == Type.VIEW;
    }

    public boolean isTable() {
        return type == Type.TABLE;
    }

    /** The same relation with a known type. */
    public Relation withType(final Type newType) {
        return new Relation(database, schema, identifier, newType);
    }

    /** {@code t} -> {@code t__dbt_tmp}, dbt's temp/intermediate relation. */
    public Relation withSuffix(final String suffix) {
        return new Relation(database, schema, identifier + suffix, type);
    }

    /** Lower-case keyword for DDL: {@code table} or {@code view}. */
    public String typeKeyword() {
        return type == Type.VIEW ? "view" : "table";
    }

    public String render() {
        return quote(database) + "." + quote(schema) + "." + quote(identifier);
    }

    public static String quote(final String part) {
        return '"' + part.replace("\"", "\"\"") + '"';
    }

    /** Key for look-ups: Trino folds unquoted names to lower case. */
    public String key() {
        return (database + "." + schema + "." + identifier).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return render();
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof Relation that && key().equals(that.key());
    }

    @Override
    public int hashCode() {
        return key().hashCode();
    }
}
